package io.mailroom.host.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.mailroom.host.schedule.ScriptedSource.create;
import static io.mailroom.host.schedule.ScriptedSource.mailbox;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler of one node: jobs follow mailboxes, fire on schedule, back off, and pause. */
class SyncSchedulerTest {

    private static final String EVERY_SECOND = "* * * * * ?";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static Jdbi jdbi;
    static Polls polls;

    @BeforeAll
    static void start() {
        ScriptedSource.install(dir);
        mailroom = TestMailroom.start(dir, Map.of("mailroom.poll.frequency", "10",
                // These tests fire every second; the default least interval is a minute.
                "mailroom.schedule.min.interval", "1"));
        admin = mailroom.admin();
        jdbi = mailroom.mailroom().core().database().jdbi();
        polls = new Polls(jdbi);
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    private record StoredTrigger(String jobName, int priority, String cronExpression, Long repeatInterval) {
    }

    private static Optional<StoredTrigger> storedTrigger(long mailboxId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT t.job_name, t.priority, c.cron_expression, s.repeat_interval
                        FROM qrtz_triggers t
                        LEFT JOIN qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group)
                        LEFT JOIN qrtz_simple_triggers s USING (sched_name, trigger_name, trigger_group)
                        WHERE t.job_name = :job""")
                .bind("job", "mailbox-sync:" + mailboxId).mapTo(StoredTrigger.class).findOne());
    }

    private static boolean jobExists(long mailboxId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM qrtz_job_details WHERE job_name = :job")
                .bind("job", "mailbox-sync:" + mailboxId).mapTo(Long.class).one()) > 0;
    }

    private static JsonNode read(long id) {
        return admin.get("/api/mailboxes/" + id).json();
    }

    @Test
    void the_job_is_created_changed_and_removed_with_the_mailbox() {
        Map<String, Object> body = mailbox("jobs@example.com", "ok", "0 0 3 * * ?");
        body.put("priority", 7);
        long id = create(admin, body);

        assertThat(storedTrigger(id)).contains(new StoredTrigger("mailbox-sync:" + id, 993, "0 0 3 * * ?", null));
        JsonNode view = read(id);
        assertThat(view.get("job_id").asText()).isEqualTo("mailbox-sync:" + id);
        assertThat(view.get("schedule").asText()).isEqualTo("0 0 3 * * ?");
        assertThat(view.get("priority").asInt()).isEqualTo(7);
        assertThat(view.get("push").asBoolean()).isFalse();
        assertThat(Instant.parse(view.get("next_sync_at").asText())).isAfter(Instant.now());
        assertThat(view.at("/stats/backlog").asLong()).isZero();

        assertThat(admin.put("/api/mailboxes/" + id, Map.of("schedule", "", "priority", 0, "push", true)).status()).isEqualTo(200);
        assertThat(storedTrigger(id)).contains(new StoredTrigger("mailbox-sync:" + id, 1000, null, 10_000L));
        assertThat(read(id).get("push").asBoolean()).isTrue();
        assertThat(read(id).get("schedule").isNull()).isTrue();

        assertThat(admin.put("/api/mailboxes/" + id, Map.of("enabled", false)).status()).isEqualTo(200);
        assertThat(jobExists(id)).isFalse();
        assertThat(read(id).get("next_sync_at").isNull()).isTrue();

        admin.put("/api/mailboxes/" + id, Map.of("enabled", true));
        assertThat(jobExists(id)).isTrue();
        assertThat(admin.delete("/api/mailboxes/" + id).status()).isEqualTo(204);
        assertThat(jobExists(id)).isFalse();
    }

    @Test
    void a_schedule_must_be_a_quartz_cron_expression_and_priority_is_bounded() {
        Reply badCron = admin.post("/api/mailboxes", mailbox("cron@example.com", "ok", "every five minutes"));
        Map<String, Object> badPriority = mailbox("prio@example.com", "ok", null);
        badPriority.put("priority", 1001);

        assertThat(badCron.status()).isEqualTo(400);
        assertThat(badCron.json().at("/details/path").asText()).isEqualTo("schedule");
        assertThat(admin.post("/api/mailboxes", badPriority).json().at("/details/path").asText()).isEqualTo("priority");
    }

    @Test
    void jobs_are_reconciled_with_the_mailboxes_table_on_start() {
        long kept = create(admin, mailbox("kept@example.com", "ok", "0 0 4 * * ?"));
        long dropped = create(admin, mailbox("dropped@example.com", "ok", "0 0 4 * * ?"));
        jdbi.useHandle(handle -> {
            handle.execute("UPDATE mailboxes SET schedule = '0 0 5 * * ?' WHERE id = ?", kept);
            handle.execute("UPDATE mailboxes SET enabled = false WHERE id = ?", dropped);
        });

        mailroom.mailroom().scheduler().reconcile();

        assertThat(storedTrigger(kept)).map(StoredTrigger::cronExpression).contains("0 0 5 * * ?");
        assertThat(jobExists(dropped)).isFalse();
    }

    @Test
    void a_mailbox_scheduled_every_second_is_synced_again_and_again() {
        long id = create(admin, mailbox("often@example.com", "ok", EVERY_SECOND));

        Polls.await(DEADLINE, "three polls", () -> polls.count(id) >= 3);

        assertThat(polls.of(id)).extracting(Polls.Run::status).doesNotContain("failed");
        assertThat(read(id).get("last_success_at").isNull()).isFalse();
    }

    @Test
    void a_failing_mailbox_backs_off_while_a_healthy_one_keeps_its_schedule() {
        long failing = create(admin, mailbox("broken@example.com", "fail", EVERY_SECOND));
        long healthy = create(admin, mailbox("healthy@example.com", "ok", EVERY_SECOND));

        Polls.await(DEADLINE, "the healthy mailbox polled five times", () -> polls.count(healthy) >= 5);

        // One failure rests the mailbox 2 x 10 s, longer than this test has run.
        assertThat(polls.count(failing)).isEqualTo(1);
        JsonNode view = read(failing);
        assertThat(view.get("status").asText()).isEqualTo("error");
        assertThat(view.get("consecutive_failures").asInt()).isEqualTo(1);
        assertThat(Instant.parse(view.get("next_sync_at").asText()))
                .isAfterOrEqualTo(Instant.parse(view.get("last_sync_at").asText()).plusSeconds(20));
        // Asked for by someone, it runs at once, back-off or not.
        assertThat(admin.post("/api/mailboxes/" + failing + "/sync", null).status()).isEqualTo(202);
        Polls.await(DEADLINE, "the manual run", () -> polls.count(failing) == 2);
    }

    @Test
    void a_maintenance_pause_stops_new_syncs_and_lifting_it_resumes_them() throws InterruptedException {
        assertThat(admin.post("/api/maintenance", Map.of("paused", "yes")).json().at("/details/path").asText()).isEqualTo("paused");
        assertThat(admin.post("/api/maintenance", Map.of()).status()).isEqualTo(400);
        assertThat(admin.post("/api/maintenance", Map.of("paused", true)).json().get("paused").asBoolean()).isTrue();
        try {
            assertThat(admin.get("/api/maintenance").json().get("paused").asBoolean()).isTrue();
            long id = create(admin, mailbox("paused@example.com", "ok", EVERY_SECOND));

            Reply sync = admin.post("/api/mailboxes/" + id + "/sync", null);
            assertThat(sync.status()).isEqualTo(409);
            assertThat(sync.json().get("error").asText()).isEqualTo("paused");
            Thread.sleep(3_000);
            assertThat(polls.count(id)).isZero();

            assertThat(admin.post("/api/maintenance", Map.of("paused", false)).json().get("paused").asBoolean()).isFalse();
            Polls.await(DEADLINE, "polls after the pause", () -> polls.count(id) >= 2);
        } finally {
            admin.post("/api/maintenance", Map.of("paused", false));
        }
    }

    @Test
    void sync_without_wait_runs_the_job_on_the_scheduler() {
        long id = create(admin, mailbox("manual@example.com", "ok", "0 0 3 1 1 ?"));

        Reply reply = admin.post("/api/mailboxes/" + id + "/sync", null);

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().get("job_id").asText()).isEqualTo("mailbox-sync:" + id);
        Polls.await(DEADLINE, "the triggered poll", () -> polls.of(id).stream().anyMatch(run -> "ok".equals(run.status())));
    }

    /**
     * Disabling a mailbox while syncs of it are asked for and its one-shot triggers fire. Two
     * races, both seen here: a trigger that fired and was gone between Quartz listing the job's
     * triggers and deleting them one by one failed the change with 503 {@code scheduler_unavailable};
     * and a sync asked for with the mailbox read before the change committed put the job of the
     * now disabled mailbox back.
     */
    @Test
    void a_mailbox_is_disabled_while_its_triggers_fire() throws Exception {
        long id = create(admin, mailbox("busy@example.com", "ok", "0 0 3 1 1 ?"));
        AtomicBoolean done = new AtomicBoolean();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                requests.submit(() -> {
                    while (!done.get()) {
                        admin.post("/api/mailboxes/" + id + "/sync", null);
                    }
                });
            }
            try {
                for (int round = 0; round < 30; round++) {
                    Thread.sleep(50);
                    Reply disabled = admin.put("/api/mailboxes/" + id, Map.of("enabled", false));
                    assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
                    assertThat(jobExists(id)).isFalse();
                    assertThat(admin.put("/api/mailboxes/" + id, Map.of("enabled", true)).status()).isEqualTo(200);
                }
            } finally {
                done.set(true);
            }
        }
    }
}
