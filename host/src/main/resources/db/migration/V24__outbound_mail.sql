-- Outbound mail: a mailbox's SMTP server, the outbox a worker drains, idempotency keys of
-- POST /api/send, and templates.

-- Where a mailbox sends from. The password is sealed for mailbox:<id>:smtp_password and is
-- dropped when host, port, security or username change (the same rule as the source's login).
CREATE TABLE mailbox_smtp (
    mailbox_id       BIGINT  PRIMARY KEY REFERENCES mailboxes (id) ON DELETE CASCADE,
    host             TEXT    NOT NULL,
    port             INT     NOT NULL,
    security         TEXT    NOT NULL CHECK (security IN ('ssl', 'starttls', 'none')),
    username         TEXT,
    password         TEXT,
    rate_per_minute  INT     NOT NULL DEFAULT 30,
    signature_text   TEXT,
    signature_html   TEXT
);

-- One row per outbound message until it is sent or given up. A worker claims a row (state
-- 'sending', a lease) in its own transaction, so one attempt at a time runs per message across
-- all nodes; data_at and end_of_data_at are committed before DATA and before the final dot, so
-- a restart knows how far an interrupted attempt got (see docs/outbound-mail.md).
CREATE TABLE outbox (
    message_id      BIGINT      PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    mailbox_id      BIGINT      NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    envelope_from   TEXT        NOT NULL,
    recipients      TEXT[]      NOT NULL,
    state           TEXT        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    attempt_at      TIMESTAMPTZ,
    data_at         TIMESTAMPTZ,
    end_of_data_at  TIMESTAMPTZ,
    last_reply      TEXT,
    done_at         TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'queued';
CREATE INDEX outbox_leased ON outbox (lease_until) WHERE state = 'sending';
CREATE INDEX outbox_recent_attempts ON outbox (mailbox_id, attempt_at);

-- The Idempotency-Key of a send: the same key of the same user within 24 hours is the same message.
CREATE TABLE send_keys (
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key        TEXT        NOT NULL,
    message_id BIGINT      NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

CREATE TABLE templates (
    id         BIGSERIAL   PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT        NOT NULL,
    subject    TEXT        NOT NULL DEFAULT '',
    text_body  TEXT,
    html_body  TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX templates_by_user ON templates (user_id, id);
