package io.mailroom.dist;

import io.mailroom.host.TestMailroom;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.store.TestDatabase;
import io.mailroom.testkit.dovecot.DovecotServer;
import io.mailroom.testkit.mail.MailCorpus;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push (IMAP IDLE) across two nodes on one database: new mail shows up without waiting for a
 * poll, each mailbox is watched by one node, and when a node is killed the other takes its
 * mailboxes over within a lease period.
 */
class PushIT {

    private static final int MAILBOXES = 4;

    @TempDir
    Path dir;

    @Test
    void new_mail_arrives_by_push_and_a_killed_nodes_mailboxes_move_to_the_other() throws Exception {
        String key = MasterKeys.newKey();
        String url = TestDatabase.freshDatabaseUrl();
        Path plugins = InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic");
        Jdbi jdbi = Jdbi.create(url);
        List<Process> nodes = new ArrayList<>();
        try (DovecotServer dovecot = DovecotServer.start(dir.resolve("dovecot"))) {
            List<Long> mailboxes = new ArrayList<>();
            // Configure through the API, then stop: the two nodes under test are separate processes.
            try (TestMailroom setup = TestMailroom.start(dir, Map.of("mailroom.db.url", url, "mailroom.secret.key", key))) {
                for (int i = 0; i < MAILBOXES; i++) {
                    dovecot.addUser("push" + i, "pw");
                    mailboxes.add(setup.admin().post("/api/mailboxes", Map.of("name", "push" + i,
                            "email", "push" + i + "@example.com", "source", "imap", "push", true,
                            "settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(), "security", "none",
                                    "username", "push" + i, "password", "pw"))).json().get("id").asLong());
                }
            }
            Map<String, String> environment = Map.of("MAILROOM_DB_URL", url, "MAILROOM_SECRET_KEY", key,
                    "MAILROOM_PLUGINS_DIR", plugins.toString(), "MAILROOM_SOURCES_ALLOW_PRIVATE_HOSTS", "true", "MAILROOM_POLL_FREQUENCY", "3600");
            nodes.add(serve(environment, "first"));
            awaitTrue(Duration.ofSeconds(90), () -> count(jdbi, "SELECT count(*) FROM push_leases WHERE expires_at > now()")
                    == MAILBOXES);
            nodes.add(serve(environment, "second"));

            deliverOneEach(dovecot, 1);
            awaitTrue(Duration.ofSeconds(30), () -> count(jdbi, "SELECT count(*) FROM messages") == MAILBOXES);
            String firstHolder = jdbi.withHandle(handle -> handle.createQuery(
                    "SELECT DISTINCT node_id FROM push_leases").mapTo(String.class).one());

            nodes.getFirst().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            deliverOneEach(dovecot, 2);

            awaitTrue(Duration.ofSeconds(90), () -> count(jdbi, "SELECT count(*) FROM messages") == 2 * MAILBOXES);
            List<String> holders = jdbi.withHandle(handle -> handle.createQuery(
                    "SELECT DISTINCT node_id FROM push_leases WHERE expires_at > now()").mapTo(String.class).list());
            assertThat(holders).hasSize(1).doesNotContain(firstHolder);
            for (long mailbox : mailboxes) {
                assertThat(count(jdbi, "SELECT count(*) FROM messages WHERE mailbox_id = " + mailbox)).isEqualTo(2);
            }
        } finally {
            nodes.forEach(Process::destroyForcibly);
        }
    }

    private static void deliverOneEach(DovecotServer dovecot, long seed) {
        for (int i = 0; i < MAILBOXES; i++) {
            dovecot.append("push" + i, "INBOX", MailCorpus.generate(1, seed * 100 + i, Instant.now()).getFirst());
        }
    }

    private Process serve(Map<String, String> environment, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(InstalledPlugins.DIST.resolve("bin/mailroom").toString(), "serve")
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        builder.environment().put("MAILROOM_DATA_DIR", dir.resolve(name).toString());
        builder.environment().put("MAILROOM_HTTP_PORT", Integer.toString(freePort()));
        return builder.start();
    }

    private static void awaitTrue(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within " + timeout).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
