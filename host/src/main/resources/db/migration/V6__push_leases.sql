-- Which node watches which mailbox for new mail (IMAP IDLE): exactly one at a time. A node
-- renews its leases while it lives; another node takes a lease over once it has expired.
CREATE TABLE push_leases (
    mailbox_id BIGINT      PRIMARY KEY REFERENCES mailboxes (id) ON DELETE CASCADE,
    node_id    TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX push_leases_by_node ON push_leases (node_id);
