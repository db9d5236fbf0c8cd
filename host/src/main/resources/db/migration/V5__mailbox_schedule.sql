-- When and in which order the scheduler syncs each mailbox, and the cluster-wide service state.

-- A Quartz cron expression (with seconds); null syncs every MAILROOM_POLL_FREQUENCY seconds.
ALTER TABLE mailboxes ADD COLUMN schedule TEXT;
-- Lower runs first when several mailboxes are due at once (0 before 10).
ALTER TABLE mailboxes ADD COLUMN priority INT NOT NULL DEFAULT 0;
-- Wanted: hold a push connection (IMAP IDLE). Stored and shown; push watchers come later.
ALTER TABLE mailboxes ADD COLUMN push BOOLEAN NOT NULL DEFAULT false;

-- Settings every node reads from here, so they hold across the cluster: 'paused' = 'true' | 'false'.
CREATE TABLE service_state (
    key        TEXT        PRIMARY KEY,
    value      TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
