-- Webhook deliveries (the rule action 'webhook'): queued by the action, POSTed by a worker on
-- any node (claimed with FOR UPDATE SKIP LOCKED), retried with back-off until delivered or
-- given up. One row per idempotency key (message, rule, action index), so a repeated call
-- queues nothing. The secret is sealed for webhook_delivery:<idempotency_key>, never plain;
-- last_error holds the reason of the last failed attempt, with at most a short snippet of the
-- answer and never the secret.
CREATE TABLE webhook_deliveries (
    id              BIGSERIAL   PRIMARY KEY,
    idempotency_key TEXT        NOT NULL UNIQUE,
    message_id      BIGINT      REFERENCES messages (id) ON DELETE SET NULL,
    mailbox_id      BIGINT      REFERENCES mailboxes (id) ON DELETE CASCADE,
    url             TEXT        NOT NULL,
    secret          TEXT        NOT NULL,
    body            TEXT        NOT NULL,
    status          TEXT        NOT NULL DEFAULT 'queued'
                                CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_owner     TEXT,
    last_status     INT,
    last_error      TEXT,
    delivered_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX webhook_deliveries_by_message ON webhook_deliveries (message_id);
