package io.mailroom.host.schedule;

import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two Mailroom nodes on one database share the mailboxes through Quartz's cluster. */
class TwoNodeClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void two_nodes_never_sync_a_mailbox_twice_at_once_and_together_sync_every_mailbox(@TempDir Path one, @TempDir Path two) {
        ScriptedSource.install(one);
        ScriptedSource.install(two);
        String url = TestDatabase.freshDatabaseUrl();
        Map<String, String> shared = Map.of("mailroom.db.url", url, "mailroom.poll.frequency", "10", "mailroom.schedule.min.interval", "1",
                "mailroom.secret.key", "K9w4zD2pQ7nR1sT5vX8yA3bC6eF0gH2jL4mN6pQ8rS0=");
        TestMailroom first = TestMailroom.start(one, shared);
        boolean firstRunning = true;
        try (TestMailroom second = TestMailroom.start(two, shared)) {
            ApiClient admin = first.admin();
            Polls polls = new Polls(second.mailroom().core().database().jdbi());
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Map<String, Object> body = ScriptedSource.mailbox("node" + i + "@example.com", "ok", "* * * * * ?");
                body.put("settings", Map.of("mode", "ok", "delay_ms", "300"));
                ids.add(ScriptedSource.create(admin, body));
            }

            Polls.await(DEADLINE, "every mailbox polled three times", () -> ids.stream().allMatch(id -> polls.count(id) >= 3));
            first.close();
            firstRunning = false;
            long[] before = ids.stream().mapToLong(polls::count).toArray();
            Polls.await(DEADLINE, "the second node alone polls every mailbox", () ->
                    ids.stream().allMatch(id -> polls.count(id) >= before[ids.indexOf(id)] + 2));

            for (long id : ids) {
                List<Polls.Run> runs = polls.of(id);
                for (int i = 1; i < runs.size(); i++) {
                    Polls.Run previous = runs.get(i - 1);
                    assertThat(previous.finishedAt()).as("mailbox %d poll %d", id, previous.id()).isNotNull()
                            .isBeforeOrEqualTo(runs.get(i).startedAt());
                }
            }
        } finally {
            if (firstRunning) {
                first.close();
            }
        }
    }
}
