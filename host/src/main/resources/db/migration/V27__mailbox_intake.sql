-- Who may create work, per mailbox: a filter (the DSL's JSON, checked when saved), mail from
-- known senders only (a user or a contact), mail from or to a contact only. No row: take all.
CREATE TABLE mailbox_intake (
    mailbox_id      BIGINT  PRIMARY KEY REFERENCES mailboxes (id) ON DELETE CASCADE,
    filter_query    JSONB,
    sync_known_only BOOLEAN NOT NULL DEFAULT false,
    contacts_only   BOOLEAN NOT NULL DEFAULT false
);

-- A message not taken keeps what an auditor needs to see it was left, and nothing more.
ALTER TABLE skipped ADD COLUMN sender TEXT, ADD COLUMN subject TEXT, ADD COLUMN sent_at TIMESTAMPTZ;
