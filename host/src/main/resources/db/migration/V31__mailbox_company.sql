-- A mailbox's company (API.md's company_id): the company a ticket sink falls back on when the
-- sender's domain matches none. Deleting the company leaves the mailbox without one.
ALTER TABLE mailboxes ADD COLUMN company_id BIGINT REFERENCES companies (id) ON DELETE SET NULL;
