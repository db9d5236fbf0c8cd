-- A sync asked for while the sync bounds are full is queued: a poll row with status 'queued'
-- that the caller can read, run later by the scheduler. One per mailbox: asking again while one
-- waits answers the same poll.
CREATE UNIQUE INDEX polls_one_queued ON polls (mailbox_id) WHERE status = 'queued';
