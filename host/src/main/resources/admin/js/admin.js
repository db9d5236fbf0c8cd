// Plugins, OAuth providers, users, tokens and notifications.
import { api, all, items, me } from './api.js';
import { h, page, table, badge, when, field, valueOf, clearErrors, showError, formError, notify, action, confirmDialog } from './dom.js';
import { crudPage } from './crud.js';

export async function pluginsPage() {
  const plugins = items(await api.get('/api/plugins'));
  page('Plugins', table('Plugins', [
    { label: 'Plugin', cell: (p) => p.id },
    { label: 'Version', cell: (p) => p.version || '' },
    { label: 'State', cell: (p) => badge(String(p.state).toLowerCase()) },
    { label: 'Extensions', cell: (p) => Object.entries(p.extensions || {}).map(([point, ids]) => `${point}: ${ids.join(', ')}`).join('; ') },
    { label: 'Error', cell: (p) => p.error || '' },
  ], plugins, 'No plugins are installed.'));
}

export async function providersPage() {
  const providers = items(await api.get('/api/oauth/providers'));
  page('OAuth providers',
    h('p', {}, 'Register the redirect URI with the provider, then enable it with its client settings.'),
    table('OAuth providers', [
      { label: 'Provider', cell: (p) => `${p.name || p.id} (${p.id})` },
      { label: 'State', cell: (p) => badge(p.enabled ? 'enabled' : 'disabled') },
      { label: 'Reason', cell: (p) => p.reason || '' },
      { label: 'Redirect URI', cell: (p) => h('code', {}, p.redirect_uri || '') },
    ], providers, 'No OAuth provider plugin is installed.'),
    ...providers.map(providerForm));
}

function providerForm(p) {
  const shown = p.settings || {};
  const enabled = field({ label: `Enable ${p.name || p.id}`, path: 'enabled', kind: 'checkbox', value: p.enabled });
  const fields = Object.entries(shown).filter(([name]) => !name.endsWith('_set')).map(([name, value]) =>
    Object.assign(field({ label: name.replace(/_/g, ' '), path: `settings.${name}`, value: Array.isArray(value) ? value.join(' ') : value ?? '' }), { name }));
  const secrets = Object.keys(shown).filter((name) => name.endsWith('_set')).map((flag) => {
    const name = flag.slice(0, -'_set'.length);
    return Object.assign(field({ label: name.replace(/_/g, ' '), path: `settings.${name}`, kind: 'password',
      placeholder: shown[flag] ? 'set — leave empty to keep it' : undefined, help: 'Write-only.' }), { name, secret: true });
  });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': `${p.name || p.id} settings` }, h('h2', {}, p.name || p.id),
    formError(), enabled, fields, secrets, h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const settings = {};
    for (const wrap of [...fields, ...secrets]) {
      const value = valueOf(wrap);
      if (wrap.secret && !value) continue;
      settings[wrap.name] = value;
    }
    try {
      await api.put(`/api/oauth/providers/${p.id}`, { enabled: valueOf(enabled), settings });
      notify('Saved.');
      await providersPage();
    } catch (e) {
      if (e.status === 400) showError(form, e); else showError(form, { message: e.message });
    }
  });
  return form;
}

export async function usersPage() {
  await crudPage({ title: 'Users', singular: 'user', path: '/api/users', name: (u) => u.email,
    columns: [{ label: 'Name', cell: (u) => u.name || '' }, { label: 'Email', cell: (u) => u.email },
      { label: 'Role', cell: (u) => u.role }, { label: 'Capabilities', cell: (u) => (u.capabilities || []).join(', ') }],
    fields: [{ name: 'name', label: 'Name' }, { name: 'email', label: 'Email', kind: 'email', required: true },
      { name: 'role', label: 'Role', kind: 'select', options: ['user', 'superadmin'], default: 'user' }] });
}

export async function tokensPage() {
  const tokens = await all('/api/tokens');
  const users = me.superadmin ? await all('/api/users').catch(() => []) : [];
  const name = field({ label: 'Token name', path: 'name', required: true, help: 'What it is for, e.g. "helpdesk app".' });
  const user = me.superadmin ? field({ label: 'For user', path: 'user_id', kind: 'select', value: me.user.id,
    options: users.map((u) => ({ value: u.id, label: u.email })) }) : null;
  const shown = h('div', { 'aria-live': 'polite', id: 'new-token' });
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, 'New token'), formError(), name, user,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Create token')), shown);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const made = await api.post('/api/tokens', { user_id: user ? Number(valueOf(user)) : me.user.id, name: valueOf(name) });
      const token = h('input', { type: 'text', readonly: true, value: made.token, id: 'token-value', 'aria-label': 'The new token' });
      shown.replaceChildren(h('p', { class: 'notice' }, 'Copy it now: it is shown only once.'), token);
      token.select();
    } catch (e) {
      if (e.status === 400) showError(form, e); else showError(form, { message: e.message });
    }
  });
  page('Tokens', table('Tokens', [
    { label: 'Name', cell: (t) => t.name },
    { label: 'User', cell: (t) => String(t.user_id) },
    { label: 'Created', cell: (t) => when(t.created_at) },
    { label: 'Last used', cell: (t) => when(t.last_used_at) },
    { label: 'Revoke', cell: (t) => action('Revoke', async () => {
      if (!(await confirmDialog(`Revoke the token "${t.name}"? Whatever uses it stops working.`, 'Revoke'))) return;
      await api.del(`/api/tokens/${t.id}`);
      notify('Revoked.');
      await tokensPage();
    }, { class: 'danger', 'aria-label': `Revoke ${t.name}` }) },
  ], tokens, 'No tokens.'), form);
}

export async function notificationsPage() {
  const notifications = items(await api.get('/api/notifications?limit=100'));
  page('Notifications', table('Notifications', [
    { label: 'When', cell: (n) => when(n.created_at || n.at) },
    { label: 'Kind', cell: (n) => n.kind || n.type || '' },
    { label: 'Mailbox', cell: (n) => (n.mailbox_id ? h('a', { href: `#/mailboxes/${n.mailbox_id}` }, String(n.mailbox_id)) : '') },
    { label: 'Message', cell: (n) => n.message || n.text || '' },
  ], notifications, 'No notifications.'));
}
