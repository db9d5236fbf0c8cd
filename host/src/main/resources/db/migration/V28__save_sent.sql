-- Copying sent mail into the server's Sent folder (mailbox_smtp.save_sent; NULL: on for IMAP
-- sources). sent_copy: NULL (not asked), 'pending', 'saved' or 'failed' (given up, reason in
-- sent_copy_note); done by any node's outbox worker once the server took the message.
ALTER TABLE mailbox_smtp ADD COLUMN save_sent BOOLEAN;

ALTER TABLE outbox ADD COLUMN sent_copy TEXT CHECK (sent_copy IN ('pending', 'saved', 'failed'));
ALTER TABLE outbox ADD COLUMN sent_copy_attempts INT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN sent_copy_next_at TIMESTAMPTZ;
ALTER TABLE outbox ADD COLUMN sent_copy_note TEXT;
CREATE INDEX outbox_sent_copy_due ON outbox (sent_copy_next_at) WHERE sent_copy = 'pending';
