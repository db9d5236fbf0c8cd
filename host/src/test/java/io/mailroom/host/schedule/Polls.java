package io.mailroom.host.schedule;

import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The poll log as tests read it, and waiting for it with a generous deadline. */
record Polls(Jdbi jdbi) {

    record Run(long id, long mailboxId, Instant startedAt, Instant finishedAt, String status) {
    }

    long count(long mailboxId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM polls WHERE mailbox_id = :id")
                .bind("id", mailboxId).mapTo(Long.class).one());
    }

    List<Run> of(long mailboxId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT id, mailbox_id, started_at, finished_at, status "
                        + "FROM polls WHERE mailbox_id = :id ORDER BY started_at, id")
                .bind("id", mailboxId).mapTo(Run.class).list());
    }

    static void await(Duration deadline, String what, BooleanSupplier done) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
