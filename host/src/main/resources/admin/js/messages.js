// Messages and threads: lists, one message (sanitized HTML in a sandboxed frame, attachments,
// raw source), a thread oldest first, and the quarantine across mailboxes.
import { api, all, items } from './api.js';
import { h, page, table, when, field, action, notify } from './dom.js';
import { quarantineTable } from './mailbox.js';

const who = (a) => (a ? (a.name ? `${a.name} <${a.email}>` : a.email) : '');

async function mailboxChoice(selected) {
  const mailboxes = await all('/api/mailboxes');
  return field({ label: 'Mailbox', path: 'mailbox_id', kind: 'select', value: selected || '',
    options: [{ value: '', label: 'All mailboxes' }, ...mailboxes.map((m) => ({ value: m.id, label: m.name || m.email }))] });
}

export async function messagesPage(params) {
  const mailbox = await mailboxChoice(params.get('mailbox_id'));
  const q = field({ label: 'Search', path: 'q', kind: 'search', value: params.get('q') || '' });
  const direction = field({ label: 'Direction', path: 'direction', kind: 'select', value: params.get('direction') || '',
    options: [{ value: '', label: 'Both' }, 'inbound', 'outbound'] });
  const form = h('form', { class: 'toolbar', role: 'search' }, mailbox, q, direction, h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (mailbox.input.value) next.set('mailbox_id', mailbox.input.value);
    if (q.input.value) next.set('q', q.input.value);
    if (direction.input.value) next.set('direction', direction.input.value);
    location.hash = `#/messages?${next}`;
  });
  const query = new URLSearchParams();
  for (const name of ['mailbox_id', 'q', 'direction', 'thread_id', 'folder']) if (params.get(name)) query.set(name, params.get(name));
  const holder = h('div', { id: 'messages' });
  const rows = [];
  const load = async (cursor) => {
    const answer = await api.get(`/api/messages?${query}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    rows.push(...items(answer));
    holder.replaceChildren(messageTable(rows),
      answer.next_cursor ? action('Load more', () => load(answer.next_cursor)) : null);
  };
  await load(null);
  page('Messages', form, holder);
}

function messageTable(rows) {
  return table('Messages', [
    { label: 'Date', cell: (m) => when(m.date || m.received_at) },
    { label: 'From', cell: (m) => who(m.from) },
    { label: 'Subject', cell: (m) => h('a', { href: `#/messages/${m.id}` }, m.subject || '(no subject)') },
    { label: 'Direction', cell: (m) => m.direction },
    { label: 'Kind', cell: (m) => m.classification || '' },
    { label: 'Thread', cell: (m) => (m.thread_id ? h('a', { href: `#/threads/${m.thread_id}` }, 'thread') : '') },
  ], rows, 'No messages.');
}

/**
 * A message's HTML, already sanitized by the API, in a frame that can run nothing (sandbox
 * without allow-scripts) and load nothing from outside: its own policy allows images only as
 * data: URLs, on top of the page's policy that it inherits.
 */
export function htmlFrame(html, title) {
  const doc = '<!doctype html><html><head><meta charset="utf-8">'
    + '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'">'
    + `</head><body>${html}</body></html>`;
  return h('iframe', { class: 'message-frame', sandbox: '', srcdoc: doc, title, referrerpolicy: 'no-referrer' });
}

function messageBody(m) {
  if (m.html) return htmlFrame(m.html, `Message: ${m.subject || '(no subject)'}`);
  return h('pre', { class: 'message-text' }, m.text || '(no text)');
}

function attachments(m) {
  if (!m.attachments || !m.attachments.length) return null;
  return h('section', { 'aria-labelledby': `att-${m.id}` }, h('h3', { id: `att-${m.id}` }, 'Attachments'),
    h('ul', { class: 'attachments' }, m.attachments.map((a) => h('li', {},
      a.stored === false ? `${a.filename || 'attachment'} (${a.content_type}, ${a.size} bytes, not stored: over the size limit)`
        : action(`${a.filename || `attachment ${a.index}`} (${a.content_type}, ${a.size} bytes)`, async () => {
          const blob = await api.blob(`/api/messages/${m.id}/attachments/${a.index}`);
          const url = URL.createObjectURL(blob);
          const link = h('a', { href: url, download: a.filename || `attachment-${a.index}` });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10000);
        }, { class: 'link' })))));
}

export function messageCard(m, open = true) {
  const raw = h('pre', { class: 'raw', hidden: true, tabindex: '0', 'aria-label': 'Raw source' });
  return h('article', { class: 'card message', 'data-message-id': m.id },
    h('dl', { class: 'headers' },
      h('dt', {}, 'From'), h('dd', {}, who(m.from)),
      h('dt', {}, 'To'), h('dd', {}, (m.to || []).map(who).join(', ')),
      m.cc && m.cc.length ? [h('dt', {}, 'Cc'), h('dd', {}, m.cc.map(who).join(', '))] : null,
      h('dt', {}, 'Date'), h('dd', {}, when(m.date)),
      h('dt', {}, 'Subject'), h('dd', {}, m.subject || '(no subject)'),
      h('dt', {}, 'Mailbox'), h('dd', {}, h('a', { href: `#/mailboxes/${m.mailbox_id}` }, String(m.mailbox_id)), ` · ${m.folder || ''} · ${m.direction} · ${m.classification || ''}`)),
    open ? messageBody(m) : null,
    attachments(m),
    h('div', { class: 'buttons' },
      action('Raw source', async (button) => {
        if (raw.hidden) { raw.textContent = await api.text(`/api/messages/${m.id}/raw`); raw.hidden = false; button.textContent = 'Hide raw source'; }
        else { raw.hidden = true; button.textContent = 'Raw source'; }
      }, { class: 'secondary raw-toggle' }),
      action('Reprocess', async () => { await api.post(`/api/messages/${m.id}/reprocess`); notify('Sent through the processing chain again.'); },
        { class: 'secondary' })),
    raw);
}

export async function messagePage(id) {
  const m = await api.get(`/api/messages/${id}?include=body`);
  page(m.subject || '(no subject)',
    m.thread_id ? h('p', {}, h('a', { href: `#/threads/${m.thread_id}` }, 'The whole thread')) : null,
    messageCard(m));
}

export async function threadsPage(params) {
  const mailbox = await mailboxChoice(params.get('mailbox_id'));
  mailbox.input.addEventListener('change', () => {
    location.hash = mailbox.input.value ? `#/threads?mailbox_id=${mailbox.input.value}` : '#/threads';
  });
  const query = params.get('mailbox_id') ? `?mailbox_id=${encodeURIComponent(params.get('mailbox_id'))}&limit=100` : '?limit=100';
  const threads = items(await api.get(`/api/threads${query}`));
  page('Threads', h('div', { class: 'toolbar' }, mailbox), table('Threads', [
    { label: 'Subject', cell: (t) => h('a', { href: `#/threads/${t.id}` }, t.subject || '(no subject)') },
    { label: 'Participants', cell: (t) => (t.participants || []).map((p) => (typeof p === 'string' ? p : who(p))).join(', ') },
    { label: 'Messages', cell: (t) => String(t.message_count) },
    { label: 'Last message', cell: (t) => when(t.last_message_at) },
  ], threads, 'No threads.'));
}

export async function threadPage(id) {
  const list = items(await api.get(`/api/threads/${id}/messages?include=body&limit=50`));
  const full = await Promise.all(list.map((m) => (m.html !== undefined || m.text !== undefined ? m : api.get(`/api/messages/${m.id}?include=body`))));
  page(full.length ? (full[0].subject || '(no subject)') : 'Thread',
    h('p', { class: 'subtitle' }, `${full.length} message${full.length === 1 ? '' : 's'}, oldest first`),
    h('div', { class: 'thread' }, full.map((m) => messageCard(m))));
}

export async function quarantinePage(params) {
  const query = params.get('mailbox_id') ? `?mailbox_id=${encodeURIComponent(params.get('mailbox_id'))}&limit=200` : '?limit=200';
  page('Quarantine', h('p', {}, 'Messages that could not be parsed or processed, kept with their raw bytes. Retry runs them through the chain again.'),
    quarantineTable(items(await api.get(`/api/quarantine${query}`))));
}
