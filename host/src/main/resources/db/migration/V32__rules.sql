-- Rules: what happens to a message after it is stored. A rule belongs to the user who made it
-- and applies to one mailbox, or (mailbox_id null) to every mailbox that user owns. The
-- processing chain reads a mailbox's active rules lowest priority first, then by id.
CREATE TABLE rules (
    id            BIGSERIAL   PRIMARY KEY,
    owner_user_id BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mailbox_id    BIGINT      REFERENCES mailboxes (id) ON DELETE CASCADE,
    name          TEXT        NOT NULL,
    -- the filter DSL's JSON, checked when saved; null: every message
    condition     JSONB,
    -- [{"type": "<RuleAction id>", "data": {"<setting>": "<value as text>"}, "secrets": ["<setting>"]}];
    -- the values named in "secrets" are sealed for rule:<id>:action:<index>:<setting>
    actions       JSONB       NOT NULL,
    priority      INT         NOT NULL DEFAULT 100,
    active        BOOLEAN     NOT NULL DEFAULT true,
    stop          BOOLEAN     NOT NULL DEFAULT false,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rules_of_mailbox ON rules (mailbox_id, priority, id) WHERE active;
CREATE INDEX rules_of_owner_for_all ON rules (owner_user_id, priority, id) WHERE mailbox_id IS NULL AND active;
