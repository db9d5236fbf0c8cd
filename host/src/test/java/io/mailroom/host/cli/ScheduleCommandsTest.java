package io.mailroom.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.schedule.ScriptedSource;
import io.mailroom.host.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sync --all} and {@code monitor} against the database of a running Mailroom. */
class ScheduleCommandsTest {

    /** A schedule that does not fire while the test runs. */
    private static final String NEW_YEAR = "0 0 3 1 1 ?";

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static long healthy;
    static long broken;

    @BeforeAll
    static void start() {
        ScriptedSource.install(dir);
        String url = TestDatabase.freshDatabaseUrl();
        mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url));
        admin = mailroom.admin();
        System.setProperty("mailroom.db.url", url);
        System.setProperty("mailroom.data.dir", dir.resolve("data").toString());
        System.setProperty("mailroom.plugins.dir", dir.resolve("plugins").toString());
        healthy = ScriptedSource.create(admin, ScriptedSource.mailbox("fine@example.com", "ok", NEW_YEAR));
        broken = ScriptedSource.create(admin, ScriptedSource.mailbox("broken@example.com", "fail", NEW_YEAR));
        assertThat(admin.post("/api/mailboxes/" + healthy + "/sync?wait=true", null).status()).isEqualTo(200);
        assertThat(admin.post("/api/mailboxes/" + broken + "/sync?wait=true", null).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("mailroom.db.url");
        System.clearProperty("mailroom.data.dir");
        System.clearProperty("mailroom.plugins.dir");
        mailroom.close();
    }

    @Test
    void sync_all_takes_mailboxes_in_ascending_priority() {
        long[] ids = new long[3];
        int[] priorities = {10, 0, 5};
        for (int i = 0; i < 3; i++) {
            Map<String, Object> body = ScriptedSource.mailbox("p" + priorities[i] + "@example.com", "ok", null);
            body.put("priority", priorities[i]);
            body.put("enabled", false);
            ids[i] = ScriptedSource.create(admin, body);
        }

        CommandRun run = CommandRun.of("sync", "--all", "--force");

        List<String> order = run.out().lines().filter(line -> line.contains("@example.com: ok"))
                .map(line -> line.split(" ")[2]).filter(email -> email.startsWith("p")).toList();
        assertThat(order).as(run.out()).containsExactly("p0@example.com:", "p5@example.com:", "p10@example.com:");
    }

    @Test
    void monitor_prints_each_mailbox_s_health() {
        CommandRun run = CommandRun.of("monitor");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("STATUS", "NEXT SYNC", "fine@example.com", "broken@example.com", "connection refused");
        assertThat(run.out().lines().filter(line -> line.contains("broken@example.com")).findFirst().orElseThrow())
                .contains(" error ").containsPattern(" [12] ");
    }

    @Test
    void monitor_errors_in_json_is_an_array_of_the_failing_mailboxes() throws Exception {
        CommandRun run = CommandRun.of("monitor", "--errors", "--format", "json");

        JsonNode rows = new ObjectMapper().readTree(run.out());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("id").asLong()).isEqualTo(broken);
        assertThat(row.get("status").asText()).isEqualTo("error");
        // One failure, or two when sync --all ran first.
        assertThat(row.get("consecutive_failures").asInt()).isBetween(1, 2);
        assertThat(row.get("last_error").asText()).contains("connection refused");
        assertThat(row.get("next_sync_at").isNull()).isFalse();
        assertThat(row.has("last_success_at")).isTrue();
    }

    @Test
    void monitor_of_one_mailbox() throws Exception {
        JsonNode rows = new ObjectMapper().readTree(
                CommandRun.of("monitor", "--mailbox", Long.toString(healthy), "--format", "json").out());

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("email").asText()).isEqualTo("fine@example.com");
        assertThat(rows.get(0).get("status").asText()).isEqualTo("active");
        assertThat(CommandRun.of("monitor", "--mailbox", "4242").exit()).isEqualTo(1);
    }
}
