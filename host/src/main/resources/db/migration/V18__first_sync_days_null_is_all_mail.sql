-- first_sync_days NULL: the first sync of a folder takes all mail, with no window at all
-- (0 still means "from now on"; 365 stays the default of a new mailbox).
ALTER TABLE mailboxes ALTER COLUMN first_sync_days DROP NOT NULL;
