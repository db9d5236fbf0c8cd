// Building the pages: elements from data, never HTML from strings (so nothing from the API can
// become markup), labelled fields, and errors shown at the field the API named (details.path).

/** h('a', {href: '#/x', class: 'y', onclick: fn}, 'text', child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'text') el.textContent = value;
    else if (name === 'value') el.value = value;
    else if (name === 'checked') el.checked = Boolean(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let unique = 0;
const nextId = (stem) => `${stem.replace(/[^a-zA-Z0-9_-]/g, '-')}-${++unique}`;

/**
 * A labelled field. kind: text, number, password, checkbox, select, textarea, email.
 * path: the API's name for it (settings.port), where an error for it is shown.
 */
export function field({ label, path, kind = 'text', value, help, options, required, placeholder, rows, autocomplete }) {
  const id = nextId(path || label);
  const helpId = help ? `${id}-help` : null;
  const errorId = `${id}-error`;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ');
  let input;
  if (kind === 'select') {
    input = h('select', { id, name: path, 'aria-describedby': describedBy },
      (options || []).map((o) => {
        const option = typeof o === 'object' ? o : { value: o, label: o };
        return h('option', { value: option.value, selected: String(option.value) === String(value ?? '') }, option.label);
      }));
  } else if (kind === 'textarea') {
    input = h('textarea', { id, name: path, rows: rows || 4, 'aria-describedby': describedBy, placeholder }, );
    input.value = value ?? '';
  } else if (kind === 'checkbox') {
    input = h('input', { id, name: path, type: 'checkbox', checked: value, 'aria-describedby': describedBy });
  } else {
    input = h('input', { id, name: path, type: kind, value: value ?? '', required, placeholder,
      autocomplete: autocomplete || (kind === 'password' ? 'new-password' : 'off'), 'aria-describedby': describedBy });
  }
  const wrap = h('div', { class: `field field-${kind}`, 'data-path': path || '' },
    kind === 'checkbox' ? h('div', { class: 'check' }, input, h('label', { for: id }, label))
      : [h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), input],
    help ? h('small', { id: helpId, class: 'help' }, help) : null,
    h('p', { id: errorId, class: 'field-error', hidden: true }));
  wrap.input = input;
  return wrap;
}

/** The value of a field made by field(): booleans for checkboxes, numbers for number inputs ('' = null). */
export function valueOf(wrap) {
  const input = wrap.input;
  if (input.type === 'checkbox') return input.checked;
  if (input.type === 'number') return input.value === '' ? null : Number(input.value);
  return input.value;
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((p) => { p.hidden = true; p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  const top = form.querySelector('.form-error');
  if (top) { top.hidden = true; top.textContent = ''; }
}

/**
 * Shows an error where it belongs: at the field whose data-path is the error's path, or the
 * nearest enclosing one (filter_query.all[2].op falls back to filter_query), else at the form's top.
 */
export function showError(form, error) {
  let path = error.path || '';
  while (path) {
    const wrap = [...form.querySelectorAll('.field[data-path]')].find((w) => w.dataset.path === path);
    if (wrap) {
      const p = wrap.querySelector('.field-error');
      p.textContent = error.path === path ? error.message : `${error.path}: ${error.message}`;
      p.hidden = false;
      if (wrap.input) { wrap.input.setAttribute('aria-invalid', 'true'); wrap.input.focus(); }
      return;
    }
    path = path.includes('[') || path.includes('.') ? path.replace(/(\.[^.[\]]*|\[\d+\])$/, '') : '';
  }
  const top = form.querySelector('.form-error');
  if (top) { top.textContent = error.message; top.hidden = false; top.focus(); } else { notify(error.message, true); }
}

export function formError() {
  return h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
}

export function notify(message, isError = false) {
  const status = document.getElementById('status');
  status.textContent = message;
  status.className = `status ${isError ? 'status-error' : 'status-ok'} shown`;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { status.className = 'status'; status.textContent = ''; }, 6000);
}

export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

export function badge(status) {
  return h('span', { class: `badge badge-${status || 'unknown'}` }, (status || 'unknown').replace('_', ' '));
}

/** A table: columns [{label, cell: (row) => node|string}]. */
export function table(caption, columns, rows, empty = 'Nothing here yet.') {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) => h('td', { 'data-label': c.label }, c.cell(row))))))));
}

export function page(title, ...content) {
  const main = document.getElementById('main');
  main.replaceChildren(h('h1', {}, title), ...content);
  document.title = `${title} · Mailroom`;
  return main;
}

/** A button that disables itself while its action runs and shows the action's error. */
export function action(label, run, attrs = {}) {
  const button = h('button', { type: 'button', ...attrs }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try { await run(button); } catch (e) { notify(e.message, true); } finally { button.disabled = false; }
  });
  return button;
}

/** Asks before something that cannot be undone, in a modal dialog (keyboard: Escape cancels). */
export function confirmDialog(question, yes = 'Delete') {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-q' },
      h('p', { id: 'confirm-q' }, question),
      h('div', { class: 'buttons' },
        h('button', { type: 'button', class: 'danger', onclick: () => dialog.close('yes') }, yes),
        h('button', { type: 'button', onclick: () => dialog.close('no') }, 'Cancel')));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'yes'); });
    document.body.append(dialog);
    dialog.showModal();
  });
}
