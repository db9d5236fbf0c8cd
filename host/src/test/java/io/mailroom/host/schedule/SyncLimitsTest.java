package io.mailroom.host.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /sync?wait=true} within the sync limits: more slow syncs than the database pool
 * has connections queue instead of taking the pool, and the server keeps answering.
 */
class SyncLimitsTest {

    /** A server that does not answer until the file named by {@code gate} exists. */
    private static final String GATED_SOURCE = """
            package sample.gated;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.nio.file.*;
            import java.util.List;

            public class Source implements MailSource {
                @Override public String id() { return "gated"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(SettingDescriptor.required("gate", SettingType.STRING, "a file to wait for"));
                }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    Path gate = Path.of(account.settings().get("gate"));
                    while (!Files.exists(gate)) {
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new TemporaryException("interrupted");
                        }
                    }
                    return new SourceConnection() {
                        @Override public List<String> capabilities() { return List.of(); }
                        @Override public List<FolderInfo> folders() { return List.of(); }
                        @Override public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
                            throw new PermanentException("no folder " + folder);
                        }
                        @Override public void apply(String folder, long validity, List<PostAction> actions) { }
                        @Override public void close() { }
                    };
                }
            }
            """;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** More than the database pool's 16 connections. */
    private static final int SLOW_SYNCS = 18;

    private static long create(ApiClient client, String email, Path gate) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", email);
        body.put("email", email);
        body.put("source", "gated");
        body.put("settings", Map.of("gate", gate.toString()));
        return ScriptedSource.create(client, body);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void slow_syncs_over_the_limits_are_queued_and_every_other_request_is_answered(@TempDir Path dir) throws Exception {
        PluginJarBuilder.plugin("gated").source("sample.gated.Source", GATED_SOURCE)
                .service(MailSource.class, "sample.gated.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        Path closed = dir.resolve("gate");
        Path open = Files.createFile(dir.resolve("open"));
        ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of(
                "mailroom.sync.max.concurrent", "2", "mailroom.sync.max.per.user", "1"))) {
            ApiClient admin = mailroom.admin();
            Polls polls = new Polls(mailroom.mailroom().core().database().jdbi());
            long userId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann-sync@example.com"))
                    .json().get("id").asLong();
            ApiClient ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", userId)).json().get("token").asText());
            List<Long> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_SYNCS; i++) {
                slow.add(create(admin, "slow" + i + "@example.com", closed));
            }
            long annsMailbox = create(ann, "ann-box@example.com", open);

            CompletableFuture<Reply> first = CompletableFuture.supplyAsync(
                    () -> admin.post("/api/mailboxes/" + slow.getFirst() + "/sync?wait=true", null), requests);
            Polls.await(DEADLINE, "the first slow sync runs", () -> polls.of(slow.getFirst()).stream()
                    .anyMatch(run -> run.status().equals("running")));
            List<CompletableFuture<Reply>> others = slow.subList(1, SLOW_SYNCS).stream()
                    .map(id -> CompletableFuture.supplyAsync(
                            () -> admin.post("/api/mailboxes/" + id + "/sync?wait=true", null), requests))
                    .toList();
            List<Reply> queued = others.stream().map(CompletableFuture::join).toList();

            assertThat(queued).allSatisfy(reply -> {
                assertThat(reply.status()).as(reply.body()).isEqualTo(202);
                assertThat(reply.json().get("status").asText()).isEqualTo("queued");
                assertThat(reply.json().get("poll_id").asLong()).isPositive();
            });
            assertThat(mailroom.client(null).get("/health").status()).isEqualTo(200);
            assertThat(admin.get("/api/me").status()).isEqualTo(200);
            Reply annsSync = ann.post("/api/mailboxes/" + annsMailbox + "/sync?wait=true", null);
            assertThat(annsSync.status()).as("another user's sync has a slot: " + annsSync.body()).isEqualTo(200);
            assertThat(annsSync.json().get("status").asText()).isEqualTo("ok");

            long second = slow.get(1);
            JsonNode reply = queued.getFirst().json();
            String pollPath = reply.get("poll").asText();
            assertThat(pollPath).isEqualTo("/api/mailboxes/" + second + "/polls/" + reply.get("poll_id").asLong());
            assertThat(admin.get(pollPath).json().get("status").asText()).isEqualTo("queued");
            Reply again = admin.post("/api/mailboxes/" + second + "/sync?wait=true", null);
            assertThat(again.json().get("poll_id").asLong()).as("one queued sync per mailbox")
                    .isEqualTo(reply.get("poll_id").asLong());

            long third = slow.get(2);
            Reply disabled = admin.put("/api/mailboxes/" + third, Map.of("enabled", false));
            assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
            JsonNode dropped = admin.get("/api/mailboxes/" + third + "/polls").json().at("/items/0");
            assertThat(dropped.get("status").asText()).as("a disabled mailbox's queued sync does not wait forever")
                    .isEqualTo("failed");

            Files.createFile(closed);
            assertThat(first.get(1, TimeUnit.MINUTES).status()).isEqualTo(200);
            Polls.await(DEADLINE.multipliedBy(2), "the queued sync ran, recorded in the poll its caller was given",
                    () -> admin.get(pollPath).json().get("status").asText().equals("ok"));
            assertThat(polls.count(second)).isEqualTo(1);
        } finally {
            requests.shutdownNow();
        }
    }
}
