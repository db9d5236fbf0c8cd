package io.mailroom.host.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.mailroom.host.schedule.ScriptedSource.create;
import static io.mailroom.host.schedule.ScriptedSource.mailbox;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large imports take turns with the other mailboxes: with as many slow imports as the scheduler
 * has threads, a mailbox scheduled every second is still synced again and again while they run,
 * because each scheduled run ends after its slice ({@code mailroom.sync.slice}) and goes on in
 * a new run, after the triggers that were due before.
 */
class LargeImportFairnessTest {

    private static final int IMPORTS = 4; // SyncScheduler's threads
    private static final int BACKLOG = 1000;

    @Test
    void a_mailbox_on_a_short_schedule_is_synced_while_large_imports_hold_every_scheduler_thread(@TempDir Path dir) {
        ScriptedSource.install(dir);
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.schedule.min.interval", "1",
                "mailroom.sync.slice", "1"))) {
            ApiClient admin = mailroom.admin();
            Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
            Polls polls = new Polls(jdbi);
            List<Long> imports = new ArrayList<>();
            for (int i = 0; i < IMPORTS; i++) {
                // one message per batch, a third of a second each: about five minutes to drain
                Map<String, Object> big = mailbox("big" + i + "@example.com", "ok", "0 0 3 * * ?");
                big.put("settings", Map.of("mode", "ok", "messages", BACKLOG, "batch_delay_ms", 300));
                big.put("max_messages_per_poll", 1);
                long id = create(admin, big);
                imports.add(id);
                assertThat(admin.post("/api/mailboxes/" + id + "/sync", null).status()).isEqualTo(202);
            }
            Polls.await(Duration.ofSeconds(30), "every import running", () -> imports.stream()
                    .allMatch(id -> stored(jdbi, id) > 0));

            // a running import shows how far it got in the mailbox's stats, and the same in its poll
            Polls.await(Duration.ofSeconds(30), "stats.import of a running import", () -> {
                JsonNode running = admin.get("/api/mailboxes/" + imports.getFirst()).json().at("/stats/import");
                return !running.isMissingNode() && running.get("total").asLong() > 0
                        && admin.get("/api/mailboxes/" + imports.getFirst() + "/polls/" + running.get("poll_id").asLong())
                        .json().get("total").asLong() >= running.get("total").asLong();
            });

            long small = create(admin, mailbox("small@example.com", "ok", "* * * * * ?"));

            Polls.await(Duration.ofSeconds(60), "three polls of the small mailbox",
                    () -> polls.of(small).stream().filter(run -> run.status().equals("ok")).count() >= 3);
            assertThat(imports).allSatisfy(id -> assertThat(stored(jdbi, id)).isLessThan(BACKLOG));
            assertThat(imports).allSatisfy(id -> assertThat(continued(jdbi, id)).isPositive());
        }
    }

    private static long stored(Jdbi jdbi, long mailbox) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM messages WHERE mailbox_id = :id")
                .bind("id", mailbox).mapTo(Long.class).one());
    }

    /** Polls of the mailbox that ended after their slice and went on in a new run. */
    private static long continued(Jdbi jdbi, long mailbox) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM polls WHERE mailbox_id = :id "
                + "AND continues").bind("id", mailbox).mapTo(Long.class).one());
    }
}
