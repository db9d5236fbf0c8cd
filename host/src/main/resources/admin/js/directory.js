// Companies, contacts and templates.
import { all } from './api.js';
import { crudPage, lines } from './crud.js';

export async function companiesPage() {
  await crudPage({ title: 'Companies', singular: 'company', path: '/api/companies', name: (c) => c.name,
    intro: 'Mail from a company\'s domains is matched to it (known senders, tickets).',
    columns: [{ label: 'Name', cell: (c) => c.name }, { label: 'Domains', cell: (c) => (c.domains || []).join(', ') }],
    fields: [{ name: 'name', label: 'Name', required: true },
      { name: 'domains', label: 'Domains', kind: 'textarea', rows: 3, help: 'One per line, like acme.com.',
        read: (c) => (c.domains || []).join('\n'), write: lines }] });
}

export async function contactsPage() {
  const companies = await all('/api/companies').catch(() => []);
  const companyName = (id) => (companies.find((c) => c.id === id) || {}).name || '';
  await crudPage({ title: 'Contacts', singular: 'contact', path: '/api/contacts', name: (c) => c.email,
    columns: [{ label: 'Email', cell: (c) => c.email }, { label: 'Name', cell: (c) => c.name || '' },
      { label: 'Company', cell: (c) => companyName(c.company_id) }],
    fields: [{ name: 'email', label: 'Email', kind: 'email', required: true }, { name: 'name', label: 'Name' },
      { name: 'company_id', label: 'Company', kind: 'select', options: [{ value: '', label: '(none)' }, ...companies.map((c) => ({ value: c.id, label: c.name }))],
        read: (c) => c.company_id ?? '', write: (v) => (v ? Number(v) : null) }] });
}

export async function templatesPage() {
  await crudPage({ title: 'Templates', singular: 'template', path: '/api/templates', name: (t) => t.name,
    intro: 'Replies and auto-replies: {{variable}} placeholders are filled in when mail is sent.',
    columns: [{ label: 'Name', cell: (t) => t.name }, { label: 'Subject', cell: (t) => t.subject || '' }],
    fields: [{ name: 'name', label: 'Name', required: true }, { name: 'subject', label: 'Subject' },
      { name: 'text', label: 'Text', kind: 'textarea', rows: 6 }, { name: 'html', label: 'HTML', kind: 'textarea', rows: 6 }] });
}
