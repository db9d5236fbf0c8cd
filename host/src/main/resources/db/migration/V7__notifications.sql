-- What Mailroom tells its users: a mailbox whose credentials stopped working, and later more.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT        NOT NULL,
    mailbox_id BIGINT      REFERENCES mailboxes (id) ON DELETE SET NULL,
    message    TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
