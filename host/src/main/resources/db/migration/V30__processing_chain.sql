-- The processing chain (host/pipeline/ProcessingChain): after a batch commits, each new message
-- waits here until a worker runs its chain (loop protection, rules, sink, server post-actions).
-- A row is taken under a lease (FOR UPDATE SKIP LOCKED), so several nodes share the work, and
-- is deleted in the transaction that queues the message's server actions.
CREATE TABLE processing_queue (
    message_id      BIGINT      PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    mailbox_id      BIGINT      NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    -- which round of actions: 0, and one more each time an admin reprocesses with repeat_actions
    generation      INT         NOT NULL DEFAULT 0,
    -- an admin's reprocess: steps recorded as failed are tried again (otherwise every recorded step is final)
    retry_failed    BOOLEAN     NOT NULL DEFAULT false,
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    last_error      TEXT,
    queued_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX processing_queue_due ON processing_queue (next_attempt_at);
CREATE INDEX processing_queue_by_mailbox ON processing_queue (mailbox_id);

-- What each step of the chain did to a message, written after the step: a step recorded is not
-- run again for the same message, rule, action index and generation (a failed one only by a reprocess).
-- rule_id 0 and action_index -1 stand for "none" (the sink, the post-actions).
CREATE TABLE processing_steps (
    id           BIGSERIAL   PRIMARY KEY,
    message_id   BIGINT      NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    step         TEXT        NOT NULL CHECK (step IN ('loop', 'rule', 'action', 'sink', 'post_action')),
    rule_id      BIGINT      NOT NULL DEFAULT 0,
    action_index INT         NOT NULL DEFAULT -1,
    generation   INT         NOT NULL DEFAULT 0,
    action       TEXT,
    status       TEXT        NOT NULL CHECK (status IN ('done', 'skipped', 'failed', 'suppressed')),
    detail       TEXT,
    error        TEXT,
    -- the effects the step asked for, replayed when the chain runs again after a crash
    effects      JSONB       NOT NULL DEFAULT '[]',
    at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (message_id, step, rule_id, action_index, generation)
);

-- Automatic mail sent because a message arrived (an action with sendsMail() that returned DONE):
-- loop protection counts them per mailbox and sender.
CREATE TABLE automatic_replies (
    id         BIGSERIAL   PRIMARY KEY,
    mailbox_id BIGINT      NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    sender     TEXT        NOT NULL,
    message_id BIGINT      REFERENCES messages (id) ON DELETE SET NULL,
    sent_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX automatic_replies_by_sender ON automatic_replies (mailbox_id, sender, sent_at);

-- Loop protection recognises mail Mailroom sent, in any mailbox, by its Message-ID.
CREATE INDEX messages_outbound_by_message_id ON messages (message_id) WHERE direction = 'outbound';

-- The flag post-action (Effect.Flag).
ALTER TABLE pending_actions DROP CONSTRAINT pending_actions_action_check;
ALTER TABLE pending_actions ADD CONSTRAINT pending_actions_action_check
    CHECK (action IN ('seen', 'flag', 'move', 'delete'));

-- The mailbox's ticket sink and its settings (secrets sealed for mailbox:<id>:sink).
ALTER TABLE mailboxes ADD COLUMN sink TEXT;
ALTER TABLE mailboxes ADD COLUMN sink_settings JSONB NOT NULL DEFAULT '{}';
