// A list with a form beside it, for the small resources (companies, contacts, templates, users):
// create, edit, delete, and the API's 400 shown at the field it names.
import { api, all } from './api.js';
import { h, page, table, field, valueOf, clearErrors, showError, formError, notify, action, confirmDialog } from './dom.js';

/**
 * spec: {title, path, intro, columns, fields: [{name, label, kind, options, help, rows, read(row), write(value)}],
 *        editable (default true), deletable (default true), name(row)}
 */
export async function crudPage(spec) {
  const rows = await all(spec.path);
  const formHolder = h('section', { class: 'card', 'aria-labelledby': 'crud-form-h' });
  const openForm = (row) => {
    const fields = spec.fields.map((d) => {
      const raw = row ? (d.read ? d.read(row) : row[d.name]) : d.default;
      return Object.assign(field({ label: d.label, path: d.name, kind: d.kind || 'text', value: raw, options: d.options,
        help: d.help, rows: d.rows, required: d.required }), { spec: d });
    });
    const form = h('form', { novalidate: true, id: 'crud-form' }, formError(), fields,
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, row ? 'Save' : 'Create'),
        row ? h('button', { type: 'button', onclick: () => openForm(null) }, 'New instead') : null));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const body = {};
      for (const wrap of fields) {
        const value = valueOf(wrap);
        body[wrap.spec.name] = wrap.spec.write ? wrap.spec.write(value) : (value === '' ? null : value);
      }
      try {
        const saved = row ? await api.put(`${spec.path}/${row.id}`, body) : await api.post(spec.path, body);
        notify(row ? 'Saved.' : 'Created.');
        if (spec.created && !row) spec.created(saved);
        await crudPage(spec);
      } catch (e) {
        if (e.status === 400) showError(form, e); else showError(form, { message: e.message });
      }
    });
    formHolder.replaceChildren(h('h2', { id: 'crud-form-h' }, row ? `Edit ${spec.name(row)}` : `New ${spec.singular}`), form);
  };
  const columns = [...spec.columns];
  if (spec.editable !== false || spec.deletable !== false) {
    columns.push({ label: 'Actions', cell: (row) => h('div', { class: 'buttons tight' },
      spec.editable !== false ? h('button', { type: 'button', onclick: () => { openForm(row); formHolder.querySelector('input, textarea, select').focus(); },
        'aria-label': `Edit ${spec.name(row)}` }, 'Edit') : null,
      spec.deletable !== false ? action('Delete', async () => {
        if (!(await confirmDialog(`Delete ${spec.name(row)}?`))) return;
        await api.del(`${spec.path}/${row.id}`);
        notify('Deleted.');
        await crudPage(spec);
      }, { class: 'danger', 'aria-label': `Delete ${spec.name(row)}` }) : null) });
  }
  openForm(null);
  page(spec.title, spec.intro ? h('p', {}, spec.intro) : null,
    h('div', { class: 'split' }, h('div', {}, table(spec.title, columns, rows)), formHolder), ...(spec.after ? [spec.after] : []));
}

export const lines = (value) => String(value || '').split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
