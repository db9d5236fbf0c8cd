// The mailboxes table: status, last success, next run, backlog, messages; filtered by status.
import { all, me } from './api.js';
import { h, page, table, badge, when, field } from './dom.js';

const STATUSES = ['active', 'syncing', 'error', 'auth_failed', 'disabled'];

export async function mailboxesPage() {
  const mailboxes = await all('/api/mailboxes');
  const filter = field({ label: 'Status', path: 'status', kind: 'select',
    options: [{ value: '', label: 'All' }, ...STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') }))] });
  const holder = h('div', { id: 'mailbox-table' });
  const columns = [
    { label: 'Name', cell: (m) => h('a', { href: `#/mailboxes/${m.id}` }, m.name || m.email) },
    { label: 'Email', cell: (m) => m.email },
    { label: 'Status', cell: (m) => badge(m.status) },
    { label: 'Last success', cell: (m) => when(m.last_success_at) },
    { label: 'Next run', cell: (m) => when(m.next_sync_at) },
    { label: 'Backlog', cell: (m) => String(m.stats ? m.stats.backlog : '—') },
    { label: 'Messages', cell: (m) => (m.stats ? h('a', { href: `#/messages?mailbox_id=${m.id}` }, String(m.stats.messages)) : '—') },
  ];
  if (me.superadmin) columns.splice(2, 0, { label: 'Owner', cell: (m) => String(m.owner_user_id ?? '—') });
  const show = () => {
    const wanted = filter.input.value;
    holder.replaceChildren(table('Mailboxes', columns, mailboxes.filter((m) => !wanted || m.status === wanted),
      wanted ? `No mailbox is ${wanted.replace('_', ' ')}.` : 'No mailboxes yet: add one.'));
  };
  filter.input.addEventListener('change', show);
  show();
  page('Mailboxes',
    h('div', { class: 'toolbar' }, filter, h('a', { class: 'button primary', href: '#/mailboxes/new' }, 'New mailbox')),
    holder);
}
