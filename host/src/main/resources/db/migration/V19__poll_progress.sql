-- A running poll shows how far it got: found and stored grow with each committed batch (as
-- before), total is how many messages the run means to read (the sources' counts when each
-- folder opens, the folder listing's estimate before). continues: the run stopped after its
-- time slice with mail left, and the next run goes on at once (mailroom.sync.slice).
ALTER TABLE polls ADD COLUMN total INT NOT NULL DEFAULT 0;
ALTER TABLE polls ADD COLUMN continues BOOLEAN NOT NULL DEFAULT false;
-- A mailbox's stats read its running poll, if any, on every read.
CREATE INDEX polls_running ON polls (mailbox_id) WHERE status = 'running';
