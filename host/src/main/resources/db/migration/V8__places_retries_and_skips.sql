-- A message is one row per place it is on the server (mailbox, folder, UIDVALIDITY, UID or UIDL).
-- Identical bytes in two places are two rows sharing one blob: the content hash recognises a
-- message that moved, but no longer hides a second location.
ALTER TABLE messages DROP CONSTRAINT messages_mailbox_id_content_hash_key;
CREATE INDEX messages_by_content ON messages (mailbox_id, content_hash);

-- Why the server actions of a message (mark seen, move) were given up, shown with the message.
ALTER TABLE messages ADD COLUMN post_action_error TEXT;

-- A server action that fails is tried again with back-off, and given up after a few attempts.
ALTER TABLE pending_actions ADD COLUMN attempts INT NOT NULL DEFAULT 0;
ALTER TABLE pending_actions ADD COLUMN next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT '-infinity';
ALTER TABLE pending_actions ADD COLUMN last_error TEXT;

-- A folder read again under a new UIDVALIDITY until drained: a re-read that was interrupted
-- goes on at the next run, and only then are the rows of the old UIDVALIDITY marked gone.
ALTER TABLE mailbox_folders ADD COLUMN reread_pending BOOLEAN NOT NULL DEFAULT false;

-- A message whose raw bytes could not be written is still quarantined, with the reason: the
-- quarantine row may name bytes that are not stored.
ALTER TABLE quarantine DROP CONSTRAINT quarantine_content_hash_fkey;

-- Messages not stored on purpose (bigger than mailroom.max.message.size), with the reason; the
-- cursor moves past them, and their keys count as seen so they are not read again.
CREATE TABLE skipped (
    id           BIGSERIAL PRIMARY KEY,
    mailbox_id   BIGINT      NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    folder       TEXT        NOT NULL,
    uid_validity BIGINT      NOT NULL,
    server_key   TEXT        NOT NULL,
    size         BIGINT      NOT NULL,
    reason       TEXT        NOT NULL,
    skipped_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (mailbox_id, folder, uid_validity, server_key)
);
