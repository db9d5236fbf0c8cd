package io.mailroom.host.health;

import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * How the database-wide queues stand, for the metrics: the outbox of outbound mail and the rule
 * webhooks' deliveries. Each count reads a partial index of its state (V24, V33, V37), never the
 * rows that are done, which only grow.
 */
public interface QueueHealthDao {

    /** Open rows by state, and how long the oldest one not yet sent or given up has waited (s; 0: none). */
    record Queue(long queued, long sending, long failed, double oldestWaitingSeconds) {
    }

    @SqlQuery("SELECT (SELECT count(*) FROM outbox WHERE state = 'queued') AS queued, "
            + "(SELECT count(*) FROM outbox WHERE state = 'sending') AS sending, "
            + "(SELECT count(*) FROM outbox WHERE state = 'failed') AS failed, "
            + "(SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) FROM outbox "
            + "WHERE state IN ('queued', 'sending')) AS oldest_waiting_seconds")
    Queue outbox();

    @SqlQuery("SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'queued') AS queued, "
            + "(SELECT count(*) FROM webhook_deliveries WHERE status = 'sending') AS sending, "
            + "(SELECT count(*) FROM webhook_deliveries WHERE status = 'failed') AS failed, "
            + "(SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) FROM webhook_deliveries "
            + "WHERE status IN ('queued', 'sending')) AS oldest_waiting_seconds")
    Queue webhooks();
}
