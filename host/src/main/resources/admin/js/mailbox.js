// One mailbox: the form rendered from its source's declared settings (GET /api/sources), the
// actions (test, sync now with progress, clone, delete, OAuth connect and refresh), the poll log,
// quarantine and skipped mail.
import { api, all, items, me } from './api.js';
import { h, page, field, valueOf, clearErrors, showError, formError, notify, when, badge, table, action, confirmDialog } from './dom.js';

const KINDS = { integer: 'number', boolean: 'checkbox', choice: 'select', list: 'textarea', string: 'text' };

export async function mailboxPage(id) {
  const [sources, sinks, providers, mailbox] = await Promise.all([
    api.get('/api/sources'),
    api.get('/api/sinks').catch(() => []),
    api.get('/api/oauth/providers').then(items).catch(() => []),
    id ? api.get(`/api/mailboxes/${id}`) : Promise.resolve(null),
  ]);
  const folders = id ? items(await api.get(`/api/mailboxes/${id}/folders?limit=500`)) : [];
  const users = me.superadmin ? await all('/api/users').catch(() => []) : [];
  const companies = mailbox && 'company_id' in mailbox ? await all('/api/companies').catch(() => []) : [];
  const enabledProviders = providers.filter((p) => p.enabled);

  const state = { folders: folders.map((f) => f.name) };
  const form = mailboxForm(mailbox, sources, sinks, enabledProviders, users, companies, state);
  const main = page(mailbox ? (mailbox.name || mailbox.email) : 'New mailbox',
    mailbox ? h('p', { class: 'subtitle' }, badge(mailbox.status), ' ', mailbox.email,
      mailbox.last_error ? h('span', { class: 'last-error' }, ` — ${mailbox.last_error}`) : null) : null,
    mailbox ? sectionLinks() : null,
    mailbox ? actions(mailbox, enabledProviders, form) : null,
    h('section', { id: 'settings', 'aria-labelledby': 'settings-h' }, h('h2', { id: 'settings-h' }, 'Settings'), form));
  if (mailbox) {
    main.append(await pollLog(mailbox), await quarantine(mailbox), await skipped(mailbox));
  }
}

function sectionLinks() {
  return h('nav', { class: 'in-page', 'aria-label': 'On this page' }, h('ul', {},
    [['Actions', 'actions-h'], ['Settings', 'settings-h'], ['Poll log', 'polls-h'], ['Quarantine', 'quarantine-h'],
      ['Skipped mail', 'skipped-h']].map(([label, target]) => h('li', {}, h('button', { type: 'button', class: 'link',
      onclick: () => { const el = document.getElementById(target); el.scrollIntoView(); el.setAttribute('tabindex', '-1'); el.focus(); } }, label)))));
}

/**
 * The field of one declared setting (GET /api/sources or /api/sinks): its kind from its type, its
 * value from what the mailbox shows (a secret only as "<name>_set"), its help with its bounds.
 */
function settingField(d, shown, prefix, secretNeeded) {
  const isSet = shown[`${d.name}_set`];
  let value = shown[d.name] ?? d.default;
  if (d.type === 'list' && Array.isArray(value)) value = value.join('\n');
  if (d.type === 'boolean') value = value === true || value === 'true';
  const wrap = field({ label: label(d.name), path: `${prefix}.${d.name}`, kind: d.secret ? 'password' : (KINDS[d.type] || 'text'),
    value: d.secret ? '' : value, required: d.required && !(d.secret && isSet) && !(d.secret && !secretNeeded),
    options: d.allowed_values || undefined, rows: 3,
    placeholder: d.secret && isSet ? 'set — leave empty to keep it' : undefined,
    help: [d.help, d.secret ? (isSet ? 'Set. Write-only: enter a new one to replace it.' : 'Write-only: never shown again.') : null,
      d.min !== null && d.min !== undefined ? `From ${d.min}` : null, d.max !== null && d.max !== undefined ? `to ${d.max}` : null]
      .filter(Boolean).join(' ') || undefined });
  if (d.secret && isSet) wrap.classList.add('secret-set');
  wrap.descriptor = d;
  return wrap;
}

/** The values of setting fields: a secret left empty is not sent (the server keeps it); an empty value is null. */
function settingValues(fields) {
  const values = {};
  for (const wrap of fields) {
    const d = wrap.descriptor;
    let value = valueOf(wrap);
    if (d.secret && !value) continue;
    if (d.type === 'list') value = String(value).split('\n').map((x) => x.trim()).filter(Boolean);
    values[d.name] = value === '' ? null : value;
  }
  return values;
}

function mailboxForm(mailbox, sources, sinks, providers, users, companies, state) {
  const isNew = !mailbox;
  const m = mailbox || { source: sources[0] ? sources[0].id : 'imap', auth: 'password', settings: {}, folders: ['INBOX'],
    enabled: true, push: false, priority: 0, first_sync_days: 365, unread_only: false, mark_as_read: false,
    sync_known_only: false, contacts_only: false, filter_query: null };
  const f = {};
  f.name = field({ label: 'Name', path: 'name', value: m.name, required: true });
  f.email = field({ label: 'Email address', path: 'email', kind: 'email', value: m.email, required: true });
  f.source = field({ label: 'Mail source', path: 'source', kind: 'select', value: m.source,
    options: sources.map((s) => ({ value: s.id, label: `${s.name || s.id} (${s.id})` })) });
  if (!isNew) f.source.input.disabled = true;
  f.auth = field({ label: 'Sign-in', path: 'auth', kind: 'select', value: m.auth,
    options: [{ value: 'password', label: 'Password' }, ...providers.map((p) => ({ value: `oauth:${p.id}`, label: `OAuth: ${p.name || p.id}` }))] });
  f.enabled = field({ label: 'Enabled (syncs on its schedule)', path: 'enabled', kind: 'checkbox', value: m.enabled });

  const settingsBox = h('fieldset', { class: 'grid' }, h('legend', {}, 'Connection'));
  let settingFields = [];
  const renderSettings = () => {
    const source = sources.find((s) => s.id === f.source.input.value) || { settings: [] };
    settingFields = source.settings.map((d) => settingField(d, m.settings || {}, 'settings', m.auth === 'password'));
    settingsBox.replaceChildren(h('legend', {}, 'Connection'), ...settingFields);
  };
  renderSettings();
  f.source.input.addEventListener('change', () => { m.settings = {}; renderSettings(); });

  const folderBox = h('fieldset', { class: 'folders', 'data-path': 'folders' });
  const renderFolders = () => {
    const chosen = new Set(f.folders ? currentFolders() : m.folders || []);
    if (state.folders.length) {
      folderBox.replaceChildren(h('legend', {}, 'Folders to sync'),
        h('div', { class: 'field', 'data-path': 'folders' }, h('div', { class: 'checks' }, state.folders.map((name) => {
          const fid = `folder-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;
          return h('div', { class: 'check' }, h('input', { type: 'checkbox', id: fid, name: 'folder', value: name, checked: chosen.has(name) }),
            h('label', { for: fid }, name));
        })), h('p', { class: 'field-error', hidden: true })));
    } else {
      const wrap = field({ label: 'Folders to sync', path: 'folders', value: [...chosen].join(', '),
        help: 'Comma-separated. Test the connection to pick from the server\'s folders.' });
      wrap.id = 'folders-text';
      folderBox.replaceChildren(h('legend', {}, 'Folders'), wrap);
    }
  };
  const currentFolders = () => {
    const text = folderBox.querySelector('#folders-text input');
    if (text) return text.value.split(',').map((s) => s.trim()).filter(Boolean);
    return [...folderBox.querySelectorAll('input[name=folder]:checked')].map((i) => i.value);
  };
  renderFolders();
  f.folders = true;
  state.refreshFolders = (names) => { state.folders = names; renderFolders(); renderMoveTo(); };

  f.schedule = field({ label: 'Schedule (Quartz cron, with seconds)', path: 'schedule', value: m.schedule,
    placeholder: '0 */5 * * * ?', help: 'Empty: the server\'s default poll frequency.' });
  const nextRuns = h('p', { class: 'help next-runs', 'aria-live': 'polite' });
  f.schedule.append(nextRuns);
  const previewSchedule = async () => {
    const expression = f.schedule.input.value.trim();
    if (!expression) { nextRuns.textContent = ''; return; }
    try {
      const answer = await api.post('/api/schedules/preview', { schedule: expression });
      nextRuns.textContent = `Next runs: ${answer.next.map(when).join(' · ')}`;
      f.schedule.querySelector('.field-error').hidden = true;
    } catch (e) {
      nextRuns.textContent = '';
      if (e.status === 400) showError(form, e);
    }
  };
  f.schedule.input.addEventListener('change', previewSchedule);
  f.priority = field({ label: 'Priority', path: 'priority', kind: 'number', value: m.priority, help: 'Higher syncs first when the server is busy.' });
  f.push = field({ label: 'Push (IMAP IDLE): sync as soon as mail arrives', path: 'push', kind: 'checkbox', value: m.push });
  f.first_sync_days = field({ label: 'First sync window (days)', path: 'first_sync_days', kind: 'number', value: m.first_sync_days,
    help: 'How far back the first sync of a folder reaches. Empty: all mail.' });
  f.max_messages_per_poll = field({ label: 'Messages per poll', path: 'max_messages_per_poll', kind: 'number', value: m.max_messages_per_poll });
  f.unread_only = field({ label: 'Only unread mail', path: 'unread_only', kind: 'checkbox', value: m.unread_only });
  f.mark_as_read = field({ label: 'Mark as read on the server after storing', path: 'mark_as_read', kind: 'checkbox', value: m.mark_as_read });
  const moveBox = h('div');
  const renderMoveTo = () => {
    const current = f.move_processed_to ? valueOf(f.move_processed_to) : m.move_processed_to;
    f.move_processed_to = state.folders.length
      ? field({ label: 'Move processed mail to', path: 'move_processed_to', kind: 'select', value: current || '',
        options: [{ value: '', label: '(leave it where it is)' }, ...state.folders] })
      : field({ label: 'Move processed mail to (folder)', path: 'move_processed_to', value: current || '', help: 'Empty: leave it where it is.' });
    moveBox.replaceChildren(f.move_processed_to);
  };
  renderMoveTo();
  f.sync_known_only = field({ label: 'Known senders only (contacts and companies)', path: 'sync_known_only', kind: 'checkbox', value: m.sync_known_only });
  f.contacts_only = field({ label: 'Contacts only', path: 'contacts_only', kind: 'checkbox', value: m.contacts_only });
  f.filter_query = field({ label: 'Filter (JSON filter DSL)', path: 'filter_query', kind: 'textarea', rows: 5,
    value: m.filter_query ? JSON.stringify(m.filter_query, null, 2) : '',
    placeholder: '{"all": [{"field": "subject", "op": "contains", "value": "invoice"}]}', help: 'Empty: take all mail.' });
  const validate = action('Validate filter', async () => {
    clearErrors(form);
    const query = parseFilter(form, f.filter_query);
    if (query === undefined) return;
    try {
      await api.post('/api/filters/validate', { filter_query: query });
      notify('The filter is valid.');
    } catch (e) {
      if (e.status === 400) showError(form, e); else throw e;
    }
  }, { class: 'secondary', id: 'validate-filter' });
  f.filter_query.append(validate);

  const extra = [];
  if (me.superadmin && users.length) {
    f.owner_user_id = field({ label: 'Owner', path: 'owner_user_id', kind: 'select', value: m.owner_user_id ?? me.user.id,
      options: users.map((u) => ({ value: u.id, label: `${u.name || u.email} (${u.role})` })) });
    extra.push(f.owner_user_id);
  }
  if ('company_id' in m) {
    f.company_id = field({ label: 'Company', path: 'company_id', kind: 'select', value: m.company_id ?? '',
      options: [{ value: '', label: '(none)' }, ...companies.map((c) => ({ value: c.id, label: c.name }))] });
    extra.push(f.company_id);
  }
  // the sink: one of the started plugins' sinks (GET /api/sinks), its settings rendered from what it declares
  const sinkBox = h('fieldset', { class: 'grid', id: 'sink-settings', hidden: true });
  let sinkFields = [];
  if (sinks.length || m.sink) {
    const known = sinks.some((k) => k.id === m.sink);
    f.sink = field({ label: 'Sink', path: 'sink', kind: 'select', value: m.sink || '',
      options: [{ value: '', label: '(none)' }, ...sinks.map((k) => ({ value: k.id, label: k.name && k.name !== k.id ? `${k.name} (${k.id})` : k.id })),
        ...(m.sink && !known ? [{ value: m.sink, label: `${m.sink} (not started)` }] : [])],
      help: [m.sink_error ? `Error: ${m.sink_error}` : null, 'Where processed mail goes.'].filter(Boolean).join(' ') });
    extra.push(f.sink);
    const renderSink = () => {
      const sink = sinks.find((k) => k.id === f.sink.input.value);
      sinkFields = sink ? sink.settings.map((d) => settingField(d, f.sink.input.value === m.sink ? (m.sink_settings || {}) : {}, 'sink_settings', true)) : [];
      if (sinkFields.length) sinkBox.replaceChildren(h('legend', {}, `Sink settings: ${sink.name || sink.id}`), ...sinkFields);
      else sinkBox.replaceChildren();
      sinkBox.hidden = !sinkFields.length;
    };
    renderSink();
    f.sink.input.addEventListener('change', renderSink);
  }

  const smtp = m.smtp || {};
  const s = {
    host: field({ label: 'SMTP host', path: 'smtp.host', value: smtp.host }),
    port: field({ label: 'SMTP port', path: 'smtp.port', kind: 'number', value: smtp.port ?? 587 }),
    security: field({ label: 'SMTP security', path: 'smtp.security', kind: 'select', value: smtp.security || 'starttls', options: ['ssl', 'starttls', 'none'] }),
    username: field({ label: 'SMTP username', path: 'smtp.username', value: smtp.username }),
    password: field({ label: 'SMTP password', path: 'smtp.password', kind: 'password',
      placeholder: smtp.password_set ? 'set — leave empty to keep it' : undefined,
      help: smtp.password_set ? 'Set. Write-only: enter a new one to replace it.' : 'Write-only.' }),
  };

  const form = h('form', { id: 'mailbox-form', class: 'card', novalidate: true }, formError(),
    h('fieldset', { class: 'grid' }, h('legend', {}, 'Mailbox'), f.name, f.email, f.source, f.auth, ...extra, f.enabled),
    settingsBox, sinkBox, folderBox,
    h('fieldset', { class: 'grid' }, h('legend', {}, 'Schedule'), f.schedule, f.priority, f.push, f.first_sync_days, f.max_messages_per_poll),
    h('fieldset', { class: 'grid' }, h('legend', {}, 'What to take and what to do after'), f.unread_only, f.mark_as_read, moveBox,
      f.sync_known_only, f.contacts_only, f.filter_query),
    h('details', { class: 'smtp' }, h('summary', {}, 'Sending (SMTP)'), h('div', { class: 'grid' }, Object.values(s))),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'save-mailbox' }, isNew ? 'Create mailbox' : 'Save')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { name: valueOf(f.name), email: valueOf(f.email), auth: valueOf(f.auth), enabled: valueOf(f.enabled) };
    if (isNew) body.source = valueOf(f.source);
    // a setting left empty: say nothing about it rather than send a null the source may refuse
    body.settings = settingValues(settingFields);
    Object.keys(body.settings).forEach((k) => body.settings[k] === null && delete body.settings[k]);
    body.folders = currentFolders();
    const schedule = valueOf(f.schedule).trim();
    if (schedule) body.schedule = schedule;
    for (const name of ['priority', 'max_messages_per_poll']) {
      const value = valueOf(f[name]);
      if (value !== null) body[name] = value;
    }
    body.first_sync_days = valueOf(f.first_sync_days);
    for (const name of ['push', 'unread_only', 'mark_as_read', 'sync_known_only', 'contacts_only']) body[name] = valueOf(f[name]);
    body.move_processed_to = valueOf(f.move_processed_to) || null;
    const query = parseFilter(form, f.filter_query);
    if (query === undefined) return;
    if (query !== null || (mailbox && mailbox.filter_query)) body.filter_query = query;
    if (f.owner_user_id) body.owner_user_id = Number(valueOf(f.owner_user_id));
    if (f.company_id) body.company_id = valueOf(f.company_id) ? Number(valueOf(f.company_id)) : null;
    if (f.sink) {
      body.sink = valueOf(f.sink) || null;
      if (body.sink && sinkFields.length) {
        body.sink_settings = settingValues(sinkFields);
        Object.keys(body.sink_settings).forEach((k) => body.sink_settings[k] === null && delete body.sink_settings[k]);
      }
    }
    const smtpHost = valueOf(s.host).trim();
    if (smtpHost && smtpChanged(s, smtp)) {
      body.smtp = { host: smtpHost, port: valueOf(s.port), security: valueOf(s.security), username: valueOf(s.username) || null };
      if (valueOf(s.password)) body.smtp.password = valueOf(s.password);
    } else if (!smtpHost && smtp.host) {
      body.smtp = null;
    }
    try {
      const saved = isNew ? await api.post('/api/mailboxes', body) : await api.put(`/api/mailboxes/${mailbox.id}`, body);
      notify(isNew ? 'Mailbox created.' : 'Saved.');
      if (isNew) location.hash = `#/mailboxes/${saved.id}`; else await mailboxPage(saved.id);
    } catch (e) {
      if (e.status === 400) showError(form, e); else showError(form, { message: e.message });
    }
  });
  form.addEventListener('folders', (event) => state.refreshFolders(event.detail));
  if (m.schedule) setTimeout(previewSchedule, 0);
  return form;
}

function smtpChanged(s, smtp) {
  return valueOf(s.host) !== (smtp.host || '') || valueOf(s.port) !== (smtp.port ?? 587) || valueOf(s.security) !== (smtp.security || 'starttls')
    || valueOf(s.username) !== (smtp.username || '') || Boolean(valueOf(s.password));
}

/** The filter as JSON, null when empty, undefined (with the error shown) when it is not JSON. */
function parseFilter(form, wrap) {
  const text = valueOf(wrap).trim();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    showError(form, { path: 'filter_query', message: `Not JSON: ${e.message}` });
    return undefined;
  }
}

const label = (name) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

function actions(mailbox, providers, form) {
  const result = h('div', { id: 'action-result', 'aria-live': 'polite' });
  const progress = h('progress', { id: 'sync-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Sync progress' });
  const progressText = h('p', { id: 'sync-progress-text', class: 'help', 'aria-live': 'polite' });
  const buttons = [
    action('Test connection', async () => {
      result.replaceChildren(h('p', {}, 'Connecting…'));
      const answer = await api.post(`/api/mailboxes/${mailbox.id}/test`);
      result.replaceChildren(answer.ok
        ? h('div', { class: 'ok', id: 'test-result' }, h('p', {}, h('strong', {}, 'Connected.')),
          h('p', {}, 'Capabilities: ', (answer.capabilities || []).join(' ') || '—'),
          h('p', {}, 'Folders: ', (answer.folders || []).join(', ') || '—'))
        : h('p', { class: 'form-error', id: 'test-result' }, `Could not connect: ${answer.error}`));
      if (answer.ok && answer.folders && answer.folders.length) form.dispatchEvent(new CustomEvent('folders', { detail: answer.folders }));
    }, { id: 'test-connection' }),
    action('Sync now', () => syncNow(mailbox, progress, progressText), { id: 'sync-now', class: 'primary' }),
    action('Clone', async () => {
      const copy = await api.post(`/api/mailboxes/${mailbox.id}/clone`);
      notify('Cloned: the copy is disabled until you enable it.');
      location.hash = `#/mailboxes/${copy.id}`;
    }, { id: 'clone' }),
    h('a', { class: 'button', href: `#/messages?mailbox_id=${mailbox.id}` }, 'Messages'),
    h('a', { class: 'button', href: `#/threads?mailbox_id=${mailbox.id}` }, 'Threads'),
  ];
  for (const provider of providers) {
    buttons.push(action(`Connect ${providerName(provider)}`, async () => {
      const answer = await fetchAuthorize(provider.id, mailbox.id);
      location.assign(answer.authorization_url);
    }, { class: 'secondary', 'data-provider': provider.id }));
  }
  if (mailbox.auth.startsWith('oauth:')) {
    buttons.push(action('Test token refresh', async () => {
      const answer = await api.post(`/api/mailboxes/${mailbox.id}/oauth/refresh`);
      result.replaceChildren(answer.ok ? h('p', { class: 'ok' }, `Refreshed; the token runs until ${when(answer.expires_at)}.`)
        : h('p', { class: 'form-error' }, `Refresh failed: ${answer.error}`));
    }, { id: 'test-refresh' }));
  }
  buttons.push(action('Delete', async () => {
    if (!(await confirmDialog(`Delete the mailbox "${mailbox.name || mailbox.email}" and its stored mail?`))) return;
    await api.del(`/api/mailboxes/${mailbox.id}`);
    notify('Mailbox deleted.');
    location.hash = '#/mailboxes';
  }, { id: 'delete', class: 'danger' }));
  return h('section', { id: 'actions', 'aria-labelledby': 'actions-h', class: 'card' }, h('h2', { id: 'actions-h' }, 'Actions'),
    h('div', { class: 'buttons wrap' }, buttons), progress, progressText, result);
}

const providerName = (p) => ({ google: 'Gmail', microsoft: 'Microsoft 365' }[p.id] || p.name || p.id);

async function fetchAuthorize(provider, mailboxId) {
  return api.get(`/api/oauth/${encodeURIComponent(provider)}/authorize?mailbox_id=${mailboxId}`);
}

/** Sync now, then follow the run: the mailbox's stats.import (found / stored / total) while it goes, its poll when done. */
async function syncNow(mailbox, progress, progressText) {
  const before = items(await api.get(`/api/mailboxes/${mailbox.id}/polls?limit=1`));
  const lastId = before.length ? before[0].id : 0;
  const started = await api.post(`/api/mailboxes/${mailbox.id}/sync`);
  progress.hidden = false;
  progress.removeAttribute('value');
  progressText.textContent = started.status === 'queued' ? 'Queued: the sync runs when a slot is free…' : 'Syncing…';
  for (let i = 0; i < 1200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [now, polls] = await Promise.all([api.get(`/api/mailboxes/${mailbox.id}`), api.get(`/api/mailboxes/${mailbox.id}/polls?limit=1`)]);
    const run = now.stats && now.stats.import;
    if (run && run.total) {
      progress.max = run.total;
      progress.value = run.stored;
      progressText.textContent = `Found ${run.found} · stored ${run.stored} of ${run.total}`;
    }
    const latest = items(polls)[0];
    if (latest && latest.id > lastId && !['running', 'queued'].includes(latest.status)) {
      progress.max = 1;
      progress.value = 1;
      progressText.textContent = `Sync ${latest.status}: found ${latest.found}, stored ${latest.stored}, skipped ${latest.skipped}, quarantined ${latest.quarantined}${latest.error ? ` — ${latest.error}` : ''}`;
      notify(`Sync ${latest.status}.`, latest.status === 'failed');
      const log = document.getElementById('polls');
      if (log) log.replaceWith(await pollLog(now));
      return;
    }
  }
}

async function pollLog(mailbox) {
  const polls = items(await api.get(`/api/mailboxes/${mailbox.id}/polls?limit=20`));
  return h('section', { id: 'polls', 'aria-labelledby': 'polls-h' }, h('h2', { id: 'polls-h' }, 'Poll log'),
    table('Poll log', [
      { label: 'Started', cell: (p) => when(p.started_at) },
      { label: 'Finished', cell: (p) => when(p.finished_at) },
      { label: 'Status', cell: (p) => badge(p.status) },
      { label: 'Found', cell: (p) => String(p.found) },
      { label: 'Stored', cell: (p) => String(p.stored) },
      { label: 'Skipped', cell: (p) => String(p.skipped) },
      { label: 'Quarantined', cell: (p) => String(p.quarantined) },
      { label: 'Error', cell: (p) => p.error || '' },
    ], polls, 'No syncs yet.'));
}

async function quarantine(mailbox) {
  const rows = items(await api.get(`/api/quarantine?mailbox_id=${mailbox.id}&limit=100`));
  return h('section', { id: 'quarantine', 'aria-labelledby': 'quarantine-h' }, h('h2', { id: 'quarantine-h' }, 'Quarantine'),
    quarantineTable(rows));
}

export function quarantineTable(rows) {
  return table('Quarantined messages', [
    { label: 'Received', cell: (q) => when(q.received_at) },
    { label: 'Mailbox', cell: (q) => h('a', { href: `#/mailboxes/${q.mailbox_id}` }, String(q.mailbox_id)) },
    { label: 'Reason', cell: (q) => q.reason },
    { label: 'Size', cell: (q) => String(q.size ?? '') },
    { label: 'Retry', cell: (q) => action('Retry', async (button) => {
      await api.post(`/api/quarantine/${q.id}/retry`);
      notify('Retried.');
      button.closest('tr').remove();
    }, { 'aria-label': `Retry quarantined message ${q.id}` }) },
  ], rows, 'Nothing in quarantine.');
}

async function skipped(mailbox) {
  const rows = items(await api.get(`/api/mailboxes/${mailbox.id}/skipped?limit=100`));
  return h('section', { id: 'skipped', 'aria-labelledby': 'skipped-h' }, h('h2', { id: 'skipped-h' }, 'Skipped mail'),
    table('Skipped mail', [
      { label: 'Date', cell: (s) => when(s.date) },
      { label: 'Folder', cell: (s) => s.folder },
      { label: 'From', cell: (s) => s.from || '' },
      { label: 'Subject', cell: (s) => s.subject || '' },
      { label: 'Reason', cell: (s) => s.reason },
      { label: 'Take', cell: (s) => action('Take', async (button) => {
        // fetch it now, past the rule that skipped it; stored (a link to it) or quarantined
        const folder = rows.filter((r) => r.server_key === s.server_key).length > 1 ? `?folder=${encodeURIComponent(s.folder)}` : '';
        const taken = await api.post(`/api/mailboxes/${mailbox.id}/skipped/${encodeURIComponent(s.server_key)}/take${folder}`);
        const cell = button.closest('td');
        cell.replaceChildren(taken.status === 'stored' ? h('a', { href: `#/messages/${taken.message_id}` }, 'Taken: open')
          : h('a', { href: '#/quarantine' }, 'Quarantined'));
        notify(taken.status === 'stored' ? 'Taken.' : 'Taken into quarantine.');
      }, { 'aria-label': `Take the skipped message ${s.subject || s.server_key}` }) },
    ], rows, 'No skipped mail.'));
}
