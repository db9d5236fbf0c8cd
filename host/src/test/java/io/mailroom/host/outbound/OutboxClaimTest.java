package io.mailroom.host.outbound;

import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Workers of several nodes on one database: each queued message is claimed by exactly one of them. */
class OutboxClaimTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;

    @BeforeAll
    static void start() {
        mailroom = TestMailroom.start(dir, Map.of("mailroom.outbox.workers", "0"));
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    @Test
    void concurrent_workers_never_claim_the_same_message_twice() throws Exception {
        ApiClient admin = mailroom.admin();
        Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
        long owner = admin.get("/api/me").json().get("id").asLong();
        long mailbox = jdbi.withHandle(handle -> {
            long id = handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) "
                    + "VALUES (?, 'Box', 'box@example.com', 'imap')").bind(0, owner)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            // port 9 (discard) on loopback: never contacted, the workers here only claim
            handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, rate_per_minute) "
                    + "VALUES (?, '127.0.0.1', 9, 'none', 10000)", id);
            return id;
        });
        for (int i = 0; i < 40; i++) {
            assertThat(admin.post("/api/send", Map.of("mailbox_id", mailbox, "to", "bob@customer.example",
                    "subject", "n" + i, "text", "x")).status()).isEqualTo(202);
        }
        OutboxTiming timing = new OutboxTiming(1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5));
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        List<Callable<Void>> nodes = new ArrayList<>();
        for (int node = 0; node < 4; node++) {
            OutboxWorker worker = new OutboxWorker(jdbi, null, null, Clock.systemUTC(), timing);
            nodes.add(() -> {
                for (Optional<OutboxWorker.Claim> claim = worker.claim(); claim.isPresent(); claim = worker.claim()) {
                    claimed.add(claim.get().entry().messageId());
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Void> done : pool.invokeAll(nodes)) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(claimed).hasSize(40).doesNotHaveDuplicates();
        assertThat((long) jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM outbox WHERE state = 'sending'")
                .mapTo(Long.class).one())).isEqualTo(40);
    }
}
