package io.mailroom.host.pipeline;

import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProcessingQueueDao#claim} takes one message, whatever plan PostgreSQL picks. Found by the
 * load benchmark: a queue whose statistics were taken while it held one row (autovacuum on a
 * queue that is mostly empty) made the planner scan the queue first and run the
 * {@code LIMIT 1 ... SKIP LOCKED} subquery again for each of its rows, each run skipping the rows
 * the statement had just leased; the claim leased every due message, failed with "Multiple values
 * for optional", and left them held by no worker until their leases ran out (a minute's stall of
 * every sync waiting for those chains).
 */
class ProcessingQueueClaimTest {

    private Database database;
    private Jdbi jdbi;

    @BeforeEach
    void start() {
        database = TestDatabase.create();
        jdbi = database.jdbi();
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_claim_leases_one_message_even_when_the_statistics_say_the_queue_holds_one_row() {
        queued(1);
        jdbi.useHandle(handle -> handle.execute("VACUUM ANALYZE processing_queue"));
        long mailbox = queued(5);
        ProcessingQueueDao queue = jdbi.onDemand(ProcessingQueueDao.class);
        Instant now = Instant.now();

        List<Long> claimed = new ArrayList<>();
        for (Optional<ProcessingQueueDao.Claimed> next = queue.claim(null, null, "worker", now, now.plusSeconds(60));
             next.isPresent(); next = queue.claim(null, null, "worker", now, now.plusSeconds(60))) {
            claimed.add(next.get().messageId());
            assertThat(leased()).as("rows leased after %d claims", claimed.size()).isEqualTo(claimed.size());
        }
        assertThat(claimed).hasSize(6).doesNotHaveDuplicates();

        // and for one mailbox, as a sync draining its own chains asks
        jdbi.useHandle(handle -> handle.execute("UPDATE processing_queue SET lease_owner = NULL, lease_until = NULL"));
        assertThat(queue.claim(mailbox, null, "sync", now, now.plusSeconds(60))).get()
                .extracting(ProcessingQueueDao.Claimed::mailboxId).isEqualTo(mailbox);
        assertThat(leased()).isEqualTo(1);
    }

    private long leased() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM processing_queue WHERE lease_owner IS NOT NULL")
                .mapTo(Long.class).one());
    }

    /** A mailbox with {@code count} messages waiting for their chains; returns its id. */
    private long queued(int count) {
        return jdbi.inTransaction(handle -> {
            long mailbox = handle.createUpdate("INSERT INTO mailboxes (name, email, source) "
                    + "VALUES ('Queue', 'queue@example.com', 'imap')").executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class).one();
            for (int i = 0; i < count; i++) {
                String hash = "hash-" + mailbox + "-" + i;
                handle.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, 1, 'x')", hash);
                long message = handle.createUpdate("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, "
                        + "content_hash, size) VALUES (?, 'INBOX', 1, ?, ?, 1)").bind(0, mailbox).bind(1, "k" + i)
                        .bind(2, hash).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                handle.execute("INSERT INTO processing_queue (message_id, mailbox_id) VALUES (?, ?)", message, mailbox);
            }
            return mailbox;
        });
    }
}
