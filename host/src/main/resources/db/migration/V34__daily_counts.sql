-- Statistics (GET /api/stats): per mailbox and UTC day, how much mail was received, sent,
-- quarantined, bounced and skipped. Counted when it happens, in the transaction that writes the
-- row, so that deleting old messages (mailroom.retention.days) or trimming old skipped records
-- (mailroom.housekeeping.days) never changes a past day's counts.
--
-- Counted by the database, not by each caller: statement-level triggers with transition tables
-- (as V14's folder counts), so every way a row is written counts (a batch, a message written
-- alone after a failed batch, a quarantine retry, a skipped message taken anyway, the outbox
-- worker, the bounce matcher) and a batch costs one upsert per mailbox and day. Rows an
-- INSERT ... ON CONFLICT DO UPDATE only updates are not in the insert's transition table, so a
-- message quarantined again at the same place is counted once.
--
-- Which day: received, by the message's received_at (the server's arrival date), so an import of
-- old mail fills in the days it arrived on; quarantined and skipped, the day Mailroom recorded
-- it; sent, the day the server took it (outbox.done_at); bounced, the day the bounce arrived.
CREATE TABLE mailbox_daily_counts (
    mailbox_id  BIGINT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    day         DATE   NOT NULL,
    received    BIGINT NOT NULL DEFAULT 0,
    sent        BIGINT NOT NULL DEFAULT 0,
    quarantined BIGINT NOT NULL DEFAULT 0,
    bounced     BIGINT NOT NULL DEFAULT 0,
    skipped     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox_id, day)
);
-- The superadmin's view over every mailbox reads by day.
CREATE INDEX mailbox_daily_counts_by_day ON mailbox_daily_counts (day);

-- Adds counts to (mailbox, day) rows; the one way the triggers below write.
CREATE FUNCTION mailbox_daily_counts_add(mailbox BIGINT, on_day DATE, d_received BIGINT, d_sent BIGINT,
                                         d_quarantined BIGINT, d_bounced BIGINT, d_skipped BIGINT)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO mailbox_daily_counts AS c (mailbox_id, day, received, sent, quarantined, bounced, skipped)
    VALUES (mailbox, on_day, d_received, d_sent, d_quarantined, d_bounced, d_skipped)
    ON CONFLICT (mailbox_id, day) DO UPDATE SET received = c.received + excluded.received,
        sent = c.sent + excluded.sent, quarantined = c.quarantined + excluded.quarantined,
        bounced = c.bounced + excluded.bounced, skipped = c.skipped + excluded.skipped
$$;

CREATE FUNCTION mailbox_daily_counts_received() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mailbox_daily_counts_add(mailbox_id, day, n, 0, 0, 0, 0)
    FROM (SELECT mailbox_id, (COALESCE(received_at, now()) AT TIME ZONE 'UTC')::date AS day, count(*) AS n
          FROM new_rows WHERE direction = 'inbound' GROUP BY 1, 2 ORDER BY 1, 2) added;
    RETURN NULL;
END $$;

CREATE FUNCTION mailbox_daily_counts_quarantined() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mailbox_daily_counts_add(mailbox_id, day, 0, 0, n, 0, 0)
    FROM (SELECT mailbox_id, (received_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
          FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2) added;
    RETURN NULL;
END $$;

CREATE FUNCTION mailbox_daily_counts_skipped() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mailbox_daily_counts_add(mailbox_id, day, 0, 0, 0, 0, n)
    FROM (SELECT mailbox_id, (skipped_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
          FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2) added;
    RETURN NULL;
END $$;

-- An outbox row that becomes 'sent' (once: a row already sent is not counted again), and one
-- that a bounce is first tied to (a second bounce for the same message counts no more).
CREATE FUNCTION mailbox_daily_counts_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mailbox_daily_counts_add(mailbox_id, day, 0, sum(sent), 0, sum(bounced), 0)
    FROM (SELECT n.mailbox_id, (COALESCE(n.done_at, now()) AT TIME ZONE 'UTC')::date AS day, 1 AS sent, 0 AS bounced
          FROM old_rows o JOIN new_rows n ON n.message_id = o.message_id
          WHERE n.state = 'sent' AND o.state IS DISTINCT FROM 'sent'
          UNION ALL
          SELECT n.mailbox_id, (COALESCE(b.received_at, now()) AT TIME ZONE 'UTC')::date, 0, 1
          FROM old_rows o JOIN new_rows n ON n.message_id = o.message_id
          LEFT JOIN messages b ON b.id = n.bounce_message_id
          WHERE n.bounce_message_id IS NOT NULL AND o.bounce_message_id IS NULL) changed
    GROUP BY mailbox_id, day ORDER BY mailbox_id, day;
    RETURN NULL;
END $$;

CREATE TRIGGER messages_daily_counts AFTER INSERT ON messages
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mailbox_daily_counts_received();
CREATE TRIGGER quarantine_daily_counts AFTER INSERT ON quarantine
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mailbox_daily_counts_quarantined();
CREATE TRIGGER skipped_daily_counts AFTER INSERT ON skipped
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mailbox_daily_counts_skipped();
CREATE TRIGGER outbox_daily_counts AFTER UPDATE ON outbox
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION mailbox_daily_counts_outbox();

-- What the rows already stored tell (earlier deletions, e.g. retried quarantine entries, are not known).
INSERT INTO mailbox_daily_counts (mailbox_id, day, received, sent, quarantined, bounced, skipped)
SELECT mailbox_id, day, sum(received), sum(sent), sum(quarantined), sum(bounced), sum(skipped)
FROM (SELECT mailbox_id, (received_at AT TIME ZONE 'UTC')::date AS day,
             1 AS received, 0 AS sent, 0 AS quarantined, 0 AS bounced, 0 AS skipped
      FROM messages WHERE direction = 'inbound' AND received_at IS NOT NULL
      UNION ALL
      SELECT mailbox_id, (received_at AT TIME ZONE 'UTC')::date, 0, 0, 1, 0, 0 FROM quarantine
      UNION ALL
      SELECT mailbox_id, (skipped_at AT TIME ZONE 'UTC')::date, 0, 0, 0, 0, 1 FROM skipped
      UNION ALL
      SELECT mailbox_id, (done_at AT TIME ZONE 'UTC')::date, 0, 1, 0, 0, 0 FROM outbox
      WHERE state = 'sent' AND done_at IS NOT NULL
      UNION ALL
      SELECT o.mailbox_id, (COALESCE(b.received_at, o.done_at, o.created_at) AT TIME ZONE 'UTC')::date, 0, 0, 0, 1, 0
      FROM outbox o LEFT JOIN messages b ON b.id = o.bounce_message_id WHERE o.bounce_message_id IS NOT NULL) happened
GROUP BY mailbox_id, day;
