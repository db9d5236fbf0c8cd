// The workspace: sign-in, the navigation and the hash router (#/mailboxes/12). Each page is a
// module that renders into <main> from the public API.
import { api, session, me } from './api.js';
import { h, page, field, formError, showError, clearErrors, notify } from './dom.js';
import { mailboxesPage } from './mailboxes.js';
import { mailboxPage } from './mailbox.js';
import { messagesPage, messagePage, threadsPage, threadPage, quarantinePage } from './messages.js';
import { companiesPage, contactsPage, templatesPage } from './directory.js';
import { rulesPage, ticketsPage, ticketPage } from './rules.js';
import { pluginsPage, providersPage, usersPage, tokensPage, notificationsPage } from './admin.js';
import { statsPage } from './stats.js';

const SECTIONS = [
  { hash: '#/mailboxes', label: 'Mailboxes' },
  { hash: '#/messages', label: 'Messages' },
  { hash: '#/threads', label: 'Threads' },
  { hash: '#/quarantine', label: 'Quarantine' },
  { hash: '#/statistics', label: 'Statistics' },
  { hash: '#/tickets', label: 'Tickets', needs: '/api/tickets' },
  { hash: '#/rules', label: 'Rules', needs: '/api/rules' },
  { hash: '#/templates', label: 'Templates' },
  { hash: '#/contacts', label: 'Contacts' },
  { hash: '#/companies', label: 'Companies', superadmin: true },
  { hash: '#/plugins', label: 'Plugins', superadmin: true },
  { hash: '#/providers', label: 'OAuth providers', superadmin: true },
  { hash: '#/users', label: 'Users', superadmin: true },
  { hash: '#/tokens', label: 'Tokens' },
  { hash: '#/notifications', label: 'Notifications' },
];

const ROUTES = [
  [/^#\/mailboxes\/new$/, () => mailboxPage(null)],
  [/^#\/mailboxes\/(\d+)$/, (m) => mailboxPage(Number(m[1]))],
  [/^#\/mailboxes$/, () => mailboxesPage()],
  [/^#\/messages\/(\d+)$/, (m) => messagePage(Number(m[1]))],
  [/^#\/messages$/, (m, q) => messagesPage(q)],
  [/^#\/threads\/(\d+)$/, (m) => threadPage(Number(m[1]))],
  [/^#\/threads$/, (m, q) => threadsPage(q)],
  [/^#\/quarantine$/, (m, q) => quarantinePage(q)],
  [/^#\/statistics$/, (m, q) => statsPage(q)],
  [/^#\/templates$/, () => templatesPage()],
  [/^#\/rules$/, () => rulesPage()],
  [/^#\/tickets\/([^/?]+)$/, (m) => ticketPage(decodeURIComponent(m[1]))],
  [/^#\/tickets$/, (m, q) => ticketsPage(q)],
  [/^#\/contacts$/, () => contactsPage()],
  [/^#\/companies$/, () => companiesPage()],
  [/^#\/plugins$/, () => pluginsPage()],
  [/^#\/providers$/, () => providersPage()],
  [/^#\/users$/, () => usersPage()],
  [/^#\/tokens$/, () => tokensPage()],
  [/^#\/notifications$/, () => notificationsPage()],
];

/** A sign-in token handed over in the URL's fragment (#token=…, as the demo prints it): taken once, then cleared. */
function takeTokenFromFragment() {
  if (location.hash.startsWith('#token=')) {
    const token = decodeURIComponent(location.hash.slice('#token='.length));
    history.replaceState(null, '', `${location.pathname}#/mailboxes`);
    if (token) session.signIn(token);
  }
}

function signInPage(message) {
  const token = field({ label: 'API token', path: 'token', kind: 'password', required: true, autocomplete: 'current-password',
    help: 'A token from "mailroom token create" or from an admin. It stays in this browser tab until you sign out.' });
  const form = h('form', { class: 'card narrow', id: 'sign-in' }, formError(), token,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    session.signIn(token.input.value.trim());
    try {
      await start();
    } catch (e) {
      session.signOut();
      showError(form, { path: 'token', message: e.status === 401 ? 'This token is not valid.' : e.message });
    }
  });
  page('Sign in', message ? h('p', { class: 'notice' }, message) : null, form);
  document.getElementById('nav').hidden = true;
  document.getElementById('menu-toggle').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  token.input.focus();
}

/** The feature routes this server answers (rules; tickets come from the ticketing plugin): pages for the others are left out. */
let documented = new Set();

async function probeFeatures() {
  const found = await Promise.all(SECTIONS.filter((s) => s.needs).map((s) =>
    api.get(`${s.needs}?limit=1`).then(() => s.needs, (e) => (e.status === 404 ? null : s.needs))));
  return new Set(found.filter(Boolean));
}

function renderNav() {
  const nav = document.getElementById('nav');
  nav.replaceChildren(h('ul', {}, SECTIONS.filter((s) => (!s.superadmin || me.superadmin) && (!s.needs || documented.has(s.needs)))
    .map((s) => h('li', {}, h('a', { href: s.hash, 'data-section': s.hash }, s.label)))));
  nav.hidden = false;
  document.getElementById('menu-toggle').hidden = false;
  document.getElementById('who').textContent = `${me.user.name || me.user.email} (${me.user.role})`;
  document.getElementById('sign-out').hidden = false;
}

async function route() {
  if (!me.user) return;
  const [path, query] = (location.hash || '#/mailboxes').split('?');
  const params = new URLSearchParams(query || '');
  document.querySelectorAll('#nav a').forEach((a) => {
    if (path.startsWith(a.dataset.section)) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  document.getElementById('nav').classList.remove('open');
  document.getElementById('menu-toggle').setAttribute('aria-expanded', 'false');
  for (const [pattern, render] of ROUTES) {
    const match = path.match(pattern);
    if (match) {
      try {
        await render(match, params);
      } catch (e) {
        page('Something went wrong', h('p', { class: 'form-error', role: 'alert' },
          e.status === 404 ? 'Not found (or not yours).' : e.message));
      }
      document.getElementById('main').focus({ preventScroll: true });
      return;
    }
  }
  location.hash = '#/mailboxes';
}

async function start() {
  me.user = await api.get('/api/me');
  documented = await probeFeatures();
  renderNav();
  if (!location.hash || location.hash === '#') location.hash = '#/mailboxes';
  await route();
}

function signOut(message) {
  session.signOut();
  me.user = null;
  history.replaceState(null, '', location.pathname);
  signInPage(message);
}

window.addEventListener('hashchange', () => {
  if (location.hash.startsWith('#token=')) {
    takeTokenFromFragment();
    start().catch((e) => { session.signOut(); signInPage(e.status === 401 ? 'That token is not valid.' : e.message); });
  } else {
    route();
  }
});
window.addEventListener('mailroom:signed-out', () => signOut('Your session ended: sign in again.'));
document.getElementById('sign-out').addEventListener('click', () => signOut('You are signed out.'));
document.getElementById('menu-toggle').addEventListener('click', (event) => {
  const nav = document.getElementById('nav');
  nav.classList.toggle('open');
  event.currentTarget.setAttribute('aria-expanded', String(nav.classList.contains('open')));
});

/** Back from an OAuth provider (/admin/mailboxes/12?connected=google): open that mailbox's page. */
function arriveFromOAuth() {
  const back = location.pathname.match(/^\/admin\/mailboxes\/(\d+)\/?$/);
  if (back) {
    const provider = new URLSearchParams(location.search).get('connected');
    history.replaceState(null, '', `/admin/#/mailboxes/${back[1]}`);
    if (provider) setTimeout(() => notify(`Connected with ${provider}.`), 500);
  }
}

arriveFromOAuth();
takeTokenFromFragment();
if (session.token()) {
  start().catch((e) => { session.signOut(); signInPage(e.status === 401 ? 'That token is not valid.' : e.message); });
} else {
  signInPage();
}
