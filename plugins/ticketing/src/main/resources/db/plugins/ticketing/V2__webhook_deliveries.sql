-- The webhook sink's queue: one row per message and mailbox, posted until the receiver answers
-- 2xx, with back-off between attempts. The body is kept as sent; the signature is made at each
-- attempt, with the time of that attempt and the mailbox's secret of the moment (never stored here).
CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    mailbox_id      bigint      NOT NULL,
    message_id      bigint      NOT NULL,
    body            text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    UNIQUE (mailbox_id, message_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (mailbox_id, next_attempt_at) WHERE state = 'pending';
