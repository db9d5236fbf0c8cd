// The public API with the signed-in token. The token lives in sessionStorage only (this tab,
// until sign-out or the tab closes); it is never put in a URL and never logged.
const KEY = 'mailroom.token';

export const session = {
  token: () => sessionStorage.getItem(KEY),
  signIn: (token) => sessionStorage.setItem(KEY, token),
  signOut: () => sessionStorage.removeItem(KEY),
};

/** The signed-in user (GET /api/me). */
export const me = { user: null, get superadmin() { return Boolean(this.user && this.user.role === 'superadmin'); } };

/** An API error: status, the snake_case code, the message and details.path when the API named a field. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.details = (body && body.details) || {};
    this.path = this.details.path || null;
  }
}

async function request(method, path, body, as = 'json', headers = {}) {
  const sent = { Accept: 'application/json', ...headers };
  const token = session.token();
  if (token) sent.Authorization = `Bearer ${token}`;
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers: sent, cache: 'no-store', credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && me.user) {
    session.signOut();
    window.dispatchEvent(new Event('mailroom:signed-out'));
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { problem = null; }
    throw new ApiError(response.status, problem);
  }
  if (as === 'blob') return response.blob();
  if (as === 'text') return response.text();
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body = {}) => request('POST', path, body),
  put: (path, body) => request('PUT', path, body),
  del: (path) => request('DELETE', path),
  text: (path) => request('GET', path, undefined, 'text', { Accept: '*/*' }),
  blob: (path) => request('GET', path, undefined, 'blob', { Accept: '*/*' }),
};

/** Every item of a paged list ({items, next_cursor}), up to a bound. */
export async function all(path, bound = 2000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api.get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const list = Array.isArray(page) ? page : page.items;
    items.push(...list);
    cursor = Array.isArray(page) ? null : page.next_cursor;
  } while (cursor && items.length < bound);
  return items;
}

/** A list answer as an array, whether the route pages ({items}) or answers a bare array. */
export const items = (answer) => (Array.isArray(answer) ? answer : (answer && answer.items) || []);
