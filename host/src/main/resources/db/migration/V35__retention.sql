-- Retention and housekeeping (host/retention): the daily job deletes stored messages older than
-- mailroom.retention.days, with their orphaned blobs, and trims poll logs and skipped records
-- older than mailroom.housekeeping.days.

-- Its reads: the oldest messages first, and whether anything still names a blob. Deleting a blob
-- also makes PostgreSQL look for messages naming it (the foreign key): without the index on
-- content_hash that look-up reads the whole table, once per blob.
CREATE INDEX messages_by_received_at ON messages (received_at);
CREATE INDEX messages_by_content_hash ON messages (content_hash);
CREATE INDEX quarantine_by_content_hash ON quarantine (content_hash);
-- Attachments stored before V20 name a blob of their own (part NULL); later ones do not.
CREATE INDEX attachments_by_blob ON attachments (sha256) WHERE part IS NULL AND sha256 IS NOT NULL;
CREATE INDEX polls_by_started_at ON polls (started_at);
CREATE INDEX skipped_by_skipped_at ON skipped (skipped_at);

-- Places whose message (stored, quarantined or skipped) was deleted by retention or housekeeping,
-- for sources without a UID cursor (POP3, UIDVALIDITY 0): such a source calls "new" every key
-- it does not know, so without this row a message left on the server would be read, stored and
-- processed again after its row was deleted. One small row per place, kept with the mailbox.
CREATE TABLE expired_keys (
    mailbox_id   BIGINT      NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    folder       TEXT        NOT NULL,
    uid_validity BIGINT      NOT NULL,
    server_key   TEXT        NOT NULL,
    expired_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (mailbox_id, folder, uid_validity, server_key)
);
