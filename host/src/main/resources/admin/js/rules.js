// Rules (condition in the filter DSL, actions run in order) with a preview of what a rule would
// act on, and tickets (list, one ticket with its messages, reply, close, reopen).
import { api, all, items } from './api.js';
import { h, page, table, field, valueOf, clearErrors, showError, formError, notify, action, confirmDialog, when, badge } from './dom.js';
import { messageCard } from './messages.js';

function json(form, wrap, path) {
  const text = valueOf(wrap).trim();
  if (!text) return null;
  try { return JSON.parse(text); } catch (e) { showError(form, { path, message: `Not JSON: ${e.message}` }); return undefined; }
}

export async function rulesPage() {
  const [rules, mailboxes] = await Promise.all([all('/api/rules'), all('/api/mailboxes')]);
  const mailboxName = (id) => (id === null || id === undefined ? 'All mailboxes'
    : (mailboxes.find((m) => m.id === id) || {}).name || String(id));
  const formHolder = h('section', { class: 'card', 'aria-labelledby': 'rule-form-h' });
  const preview = h('section', { id: 'rule-preview', 'aria-live': 'polite' });
  const open = (rule) => {
    const r = rule || { mailbox_id: null, name: '', condition: null, actions: [], priority: 0, active: true, stop: false };
    const f = {
      name: field({ label: 'Name', path: 'name', value: r.name, required: true }),
      mailbox_id: field({ label: 'Mailbox', path: 'mailbox_id', kind: 'select', value: r.mailbox_id ?? '',
        options: [{ value: '', label: 'All mailboxes' }, ...mailboxes.map((m) => ({ value: m.id, label: m.name || m.email }))] }),
      condition: field({ label: 'Condition (JSON filter DSL)', path: 'condition', kind: 'textarea', rows: 5,
        value: r.condition ? JSON.stringify(r.condition, null, 2) : '', help: 'Empty: every message.' }),
      actions: field({ label: 'Actions (JSON list of {"type", "data"})', path: 'actions', kind: 'textarea', rows: 6,
        value: JSON.stringify(r.actions || [], null, 2), placeholder: '[{"type": "tag", "data": {"tags": ["vip"]}}]' }),
      priority: field({ label: 'Priority', path: 'priority', kind: 'number', value: r.priority }),
      active: field({ label: 'Active', path: 'active', kind: 'checkbox', value: r.active }),
      stop: field({ label: 'Stop: no later rule runs after this one matched', path: 'stop', kind: 'checkbox', value: r.stop }),
    };
    const form = h('form', { novalidate: true, id: 'rule-form' }, formError(), Object.values(f),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, rule ? 'Save rule' : 'Create rule'),
        rule ? h('button', { type: 'button', onclick: () => open(null) }, 'New instead') : null));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const condition = json(form, f.condition, 'condition');
      const actions = json(form, f.actions, 'actions');
      if (condition === undefined || actions === undefined) return;
      const body = { name: valueOf(f.name), mailbox_id: valueOf(f.mailbox_id) ? Number(valueOf(f.mailbox_id)) : null,
        condition, actions: actions || [], priority: valueOf(f.priority) ?? 0, active: valueOf(f.active), stop: valueOf(f.stop) };
      try {
        if (rule) await api.put(`/api/rules/${rule.id}`, body); else await api.post('/api/rules', body);
        notify(rule ? 'Rule saved.' : 'Rule created.');
        await rulesPage();
      } catch (e) {
        if (e.status === 400) showError(form, e); else showError(form, { message: e.message });
      }
    });
    formHolder.replaceChildren(h('h2', { id: 'rule-form-h' }, rule ? `Edit ${rule.name}` : 'New rule'), form);
  };
  open(null);
  page('Rules', h('p', {}, 'Rules run on each new message in priority order; their actions (reply, forward, tag, move, webhook…) happen once per message.'),
    h('div', { class: 'split' }, table('Rules', [
      { label: 'Name', cell: (r) => r.name },
      { label: 'Mailbox', cell: (r) => mailboxName(r.mailbox_id) },
      { label: 'Priority', cell: (r) => String(r.priority) },
      { label: 'Active', cell: (r) => badge(r.active ? 'active' : 'disabled') },
      { label: 'Actions', cell: (r) => (r.actions || []).map((a) => a.type).join(', ') },
      { label: '', cell: (r) => h('div', { class: 'buttons tight' },
        h('button', { type: 'button', onclick: () => open(r) }, 'Edit'),
        action('Preview', async () => {
          const answer = await api.post(`/api/rules/${r.id}/preview`, {});
          preview.replaceChildren(h('h2', {}, `Preview: ${r.name}`), table('Rule preview', [
            { label: 'Date', cell: (m) => when(m.date || (m.message && m.message.date)) },
            { label: 'Subject', cell: (m) => { const id = m.id || m.message_id || (m.message && m.message.id); return h('a', { href: `#/messages/${id}` }, m.subject || (m.message && m.message.subject) || '(no subject)'); } },
            { label: 'Actions', cell: (m) => (m.actions || r.actions || []).map((a) => a.type).join(', ') },
          ], items(answer), 'No stored message matches.'));
        }),
        action('Delete', async () => {
          if (!(await confirmDialog(`Delete the rule "${r.name}"?`))) return;
          await api.del(`/api/rules/${r.id}`);
          await rulesPage();
        }, { class: 'danger' })) },
    ], rules, 'No rules yet.'), formHolder), preview);
}

export async function ticketsPage(params) {
  const status = field({ label: 'Status', path: 'status', kind: 'select', value: params.get('status') || '',
    options: [{ value: '', label: 'All' }, 'open', 'closed'] });
  status.input.addEventListener('change', () => { location.hash = status.input.value ? `#/tickets?status=${status.input.value}` : '#/tickets'; });
  const query = params.get('status') ? `?status=${encodeURIComponent(params.get('status'))}` : '';
  const tickets = await all(`/api/tickets${query}`);
  page('Tickets', h('div', { class: 'toolbar' }, status), table('Tickets', [
    { label: 'Ticket', cell: (t) => h('a', { href: `#/tickets/${encodeURIComponent(t.ref)}` }, t.ref) },
    { label: 'Subject', cell: (t) => t.subject || '' },
    { label: 'Status', cell: (t) => badge(t.status) },
    { label: 'Created', cell: (t) => when(t.created_at) },
  ], tickets, 'No tickets.'));
}

export async function ticketPage(ref) {
  const ticket = await api.get(`/api/tickets/${encodeURIComponent(ref)}`);
  // message_ids may hold null (an outbound mail the outbox has not stored yet): those are skipped,
  // and a message this user may not read does not blank the whole ticket
  const ids = (ticket.message_ids || []).filter((id) => id !== null && id !== undefined);
  const messages = (await Promise.allSettled(ids.map((id) => api.get(`/api/messages/${id}?include=body`))))
    .filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const text = field({ label: 'Reply', path: 'text', kind: 'textarea', rows: 6, required: true });
  const form = h('form', { class: 'card', id: 'reply-form', novalidate: true }, h('h2', {}, 'Reply'), formError(), text,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Send reply')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await api.post(`/api/tickets/${encodeURIComponent(ref)}/reply`, { text: valueOf(text) });
      notify('Reply sent.');
      await ticketPage(ref);
    } catch (e) {
      if (e.status === 400) showError(form, e); else showError(form, { message: e.message });
    }
  });
  const closed = ticket.status === 'closed';
  page(`${ticket.ref}: ${ticket.subject || ''}`,
    h('p', { class: 'subtitle' }, badge(ticket.status), ` opened ${when(ticket.created_at)}`),
    h('div', { class: 'buttons' }, action(closed ? 'Reopen' : 'Close ticket', async () => {
      await api.post(`/api/tickets/${encodeURIComponent(ref)}/${closed ? 'reopen' : 'close'}`);
      notify(closed ? 'Reopened.' : 'Closed.');
      await ticketPage(ref);
    }, { id: 'ticket-state' })),
    h('div', { class: 'thread' }, messages.map((m) => messageCard(m))), form);
}
