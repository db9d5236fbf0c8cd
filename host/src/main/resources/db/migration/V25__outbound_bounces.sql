-- Bounces tied to the outbound message they answer: which inbound bounces were looked at, and
-- what a bounce said about the outbound message (recipient, status code, diagnostic).
CREATE TABLE bounces_checked (
    message_id  BIGINT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    outbound_id BIGINT REFERENCES messages (id) ON DELETE SET NULL
);
CREATE INDEX messages_bounces ON messages (id) WHERE classification = 'bounce' AND direction = 'inbound';

ALTER TABLE outbox ADD COLUMN bounce_recipient TEXT;
ALTER TABLE outbox ADD COLUMN bounce_status TEXT;
ALTER TABLE outbox ADD COLUMN bounce_diagnostic TEXT;
ALTER TABLE outbox ADD COLUMN bounce_message_id BIGINT REFERENCES messages (id) ON DELETE SET NULL;
