// Statistics (GET /api/stats): per UTC day, mail received, sent, quarantined, bounced and
// skipped, for one mailbox or all the caller's; a table with a bar per day. Bars are SVG
// rectangles sized by attributes, so the page needs no inline style (CSP).
import { api, all } from './api.js';
import { h, page, field, formError, showError, clearErrors } from './dom.js';

const KINDS = ['received', 'sent', 'quarantined', 'bounced', 'skipped'];
const SVG = 'http://www.w3.org/2000/svg';
const BAR_WIDTH = 160;

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  return el;
}

/** Received and sent of one day as two bars, scaled to the busiest day of the range. */
function bars(day, max) {
  const chart = svg('svg', { width: BAR_WIDTH, height: 16, class: 'day-bars', role: 'img',
    'aria-label': `${day.received} received, ${day.sent} sent` });
  const scale = (n) => (max ? Math.max(n ? 1 : 0, Math.round((n / max) * BAR_WIDTH)) : 0);
  chart.append(svg('rect', { x: 0, y: 1, height: 6, width: scale(day.received), class: 'bar-received' }),
    svg('rect', { x: 0, y: 9, height: 6, width: scale(day.sent), class: 'bar-sent' }));
  return chart;
}

/** Every day from since to until (the API lists only days with counts), summed over the mailboxes. */
function everyDay(since, until, items) {
  const byDay = new Map();
  for (const item of items) {
    const day = byDay.get(item.day) || Object.fromEntries(KINDS.map((k) => [k, 0]));
    for (const k of KINDS) day[k] += item[k];
    byDay.set(item.day, day);
  }
  const days = [];
  for (let d = new Date(`${since}T00:00:00Z`); d <= new Date(`${until}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const key = d.toISOString().slice(0, 10);
    days.push({ day: key, ...(byDay.get(key) || Object.fromEntries(KINDS.map((k) => [k, 0]))) });
  }
  return days.reverse();
}

export async function statsPage(params) {
  const mailboxes = await all('/api/mailboxes');
  const mailbox = field({ label: 'Mailbox', path: 'mailbox_id', kind: 'select', value: params.get('mailbox_id') || '',
    options: [{ value: '', label: 'All mailboxes' }, ...mailboxes.map((m) => ({ value: m.id, label: m.name || m.email }))] });
  const since = field({ label: 'From', path: 'since', kind: 'date', value: params.get('since') || '' });
  const until = field({ label: 'To', path: 'until', kind: 'date', value: params.get('until') || '' });
  const form = h('form', { class: 'toolbar', id: 'stats-form' }, formError(), mailbox, since, until,
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (mailbox.input.value) next.set('mailbox_id', mailbox.input.value);
    if (since.input.value) next.set('since', since.input.value);
    if (until.input.value) next.set('until', until.input.value);
    location.hash = `#/statistics?${next}`;
  });
  const query = new URLSearchParams();
  for (const name of ['mailbox_id', 'since', 'until']) if (params.get(name)) query.set(name, params.get(name));
  const holder = h('div', { id: 'stats' });
  page('Statistics', form, holder);
  clearErrors(form);
  let first;
  try {
    first = await api.get(`/api/stats?${query}&limit=1`);
  } catch (e) {
    showError(form, e);
    return;
  }
  const items = await all(`/api/stats?${query}`, 200000);
  const days = everyDay(first.since, first.until, items);
  const max = Math.max(0, ...days.map((d) => Math.max(d.received, d.sent)));
  const totals = h('p', { class: 'stats-totals' },
    `${first.since} to ${first.until}: `, KINDS.map((k) => `${first.totals[k]} ${k}`).join(', '), '.');
  const legend = h('p', { class: 'stats-legend' },
    h('span', { class: 'swatch swatch-received' }), ' received ', h('span', { class: 'swatch swatch-sent' }), ' sent');
  holder.replaceChildren(totals, legend, h('div', { class: 'table-wrap' }, h('table', { class: 'stats-table' },
    h('caption', { class: 'visually-hidden' }, 'Mail per day'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), KINDS.map((k) => h('th', { scope: 'col' }, k[0].toUpperCase() + k.slice(1))),
      h('th', { scope: 'col' }, 'Received and sent'))),
    h('tbody', {}, days.map((d) => h('tr', {}, h('td', { 'data-label': 'Day' }, d.day),
      KINDS.map((k) => h('td', { 'data-label': k, class: 'num' }, String(d[k]))),
      h('td', { 'data-label': 'Received and sent' }, bars(d, max))))))));
}
