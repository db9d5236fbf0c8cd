-- How many message rows each folder of a mailbox holds, kept by triggers as rows come, move and
-- go, so that /metrics and a mailbox's stats.backlog read one small row per folder instead of
-- counting the messages on every scrape. Statement-level triggers with transition tables: a
-- batch insert costs one update per folder, not one per message.
CREATE TABLE folder_message_counts (
    mailbox_id BIGINT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    folder     TEXT   NOT NULL,
    messages   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox_id, folder)
);

INSERT INTO folder_message_counts (mailbox_id, folder, messages)
SELECT mailbox_id, folder, count(*) FROM messages GROUP BY mailbox_id, folder;

CREATE FUNCTION folder_message_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO folder_message_counts AS c (mailbox_id, folder, messages)
    SELECT mailbox_id, folder, count(*) FROM new_rows GROUP BY mailbox_id, folder
    ON CONFLICT (mailbox_id, folder) DO UPDATE SET messages = c.messages + excluded.messages;
    RETURN NULL;
END $$;

-- Only updates: when a mailbox is deleted its counts go with it (cascade), and an insert here
-- could race that delete.
CREATE FUNCTION folder_message_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE folder_message_counts c SET messages = c.messages - gone.n
    FROM (SELECT mailbox_id, folder, count(*) AS n FROM old_rows GROUP BY mailbox_id, folder) gone
    WHERE c.mailbox_id = gone.mailbox_id AND c.folder = gone.folder;
    RETURN NULL;
END $$;

-- A row that changes folder (or mailbox) leaves one count and joins another.
CREATE FUNCTION folder_message_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE folder_message_counts c SET messages = c.messages - gone.n
    FROM (SELECT o.mailbox_id, o.folder, count(*) AS n FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE n.folder IS DISTINCT FROM o.folder OR n.mailbox_id IS DISTINCT FROM o.mailbox_id
          GROUP BY o.mailbox_id, o.folder) gone
    WHERE c.mailbox_id = gone.mailbox_id AND c.folder = gone.folder;
    INSERT INTO folder_message_counts AS c (mailbox_id, folder, messages)
    SELECT n.mailbox_id, n.folder, count(*) FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE n.folder IS DISTINCT FROM o.folder OR n.mailbox_id IS DISTINCT FROM o.mailbox_id
    GROUP BY n.mailbox_id, n.folder
    ON CONFLICT (mailbox_id, folder) DO UPDATE SET messages = c.messages + excluded.messages;
    RETURN NULL;
END $$;

CREATE TRIGGER messages_counted_on_insert AFTER INSERT ON messages
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION folder_message_counts_add();
CREATE TRIGGER messages_counted_on_delete AFTER DELETE ON messages
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION folder_message_counts_remove();
CREATE TRIGGER messages_counted_on_update AFTER UPDATE ON messages
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION folder_message_counts_move();
