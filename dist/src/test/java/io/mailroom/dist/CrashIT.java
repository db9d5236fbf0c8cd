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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the syncing process ({@code bin/mailroom sync}, SIGKILL) at random points of a first
 * import, again and again, then lets one run finish: every message on the server is stored
 * exactly once, and every server action decided with a commit (mark as read) is carried out.
 */
class CrashIT {

    private static final int MESSAGES = 1500;
    private static final int KILLS = 6;

    @TempDir
    Path dir;

    @Test
    void killing_the_syncing_process_at_random_points_loses_and_duplicates_nothing() throws Exception {
        String key = MasterKeys.newKey();
        String url = TestDatabase.freshDatabaseUrl();
        Path plugins = InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic");
        try (DovecotServer dovecot = DovecotServer.start(dir.resolve("dovecot"));
             TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url, "mailroom.secret.key", key))) {
            dovecot.addUser("crash", "pw");
            dovecot.appendMany("crash", "INBOX", MailCorpus.generate(MESSAGES, 42, Instant.now().minus(Duration.ofDays(60))));
            long mailboxId = mailroom.admin().post("/api/mailboxes", Map.of("name", "Crash", "email", "crash@example.com",
                    "source", "imap", "max_messages_per_poll", 50, "mark_as_read", true, "settings", Map.of("host", dovecot.host(),
                            "port", dovecot.imapPort(), "security", "none", "username", "crash", "password", "pw")))
                    .json().get("id").asLong();
            Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
            Map<String, String> environment = new HashMap<>(Map.of("MAILROOM_DB_URL", url, "MAILROOM_SECRET_KEY", key,
                    "MAILROOM_PLUGINS_DIR", plugins.toString(), "MAILROOM_SOURCES_ALLOW_PRIVATE_HOSTS", "true", "MAILROOM_DATA_DIR", dir.resolve("child").toString()));

            Random random = new Random(7);
            int killedMidImport = 0;
            for (int kill = 0; kill < KILLS; kill++) {
                long before = count(jdbi, "SELECT count(*) FROM messages");
                Process sync = start(environment, mailboxId, dir.resolve("sync-" + kill + ".log"));
                // Kill once this run has committed something, at a random instant after.
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (sync.isAlive() && count(jdbi, "SELECT count(*) FROM messages") == before
                        && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(400));
                sync.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                if (count(jdbi, "SELECT count(*) FROM messages") < MESSAGES) {
                    killedMidImport++;
                }
            }
            Process last = start(environment, mailboxId, dir.resolve("sync-last.log"));
            assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();

            assertThat(last.exitValue()).as("the last sync succeeds").isZero();
            assertThat(killedMidImport).as("kills that landed in the middle of the import").isPositive();
            assertThat(count(jdbi, "SELECT count(*) FROM messages")).isEqualTo(MESSAGES);
            assertThat(count(jdbi, "SELECT count(DISTINCT uid) FROM messages")).isEqualTo(MESSAGES);
            assertThat(count(jdbi, "SELECT count(DISTINCT message_id) FROM messages")).isEqualTo(MESSAGES);
            List<Long> storedUids = jdbi.withHandle(handle -> handle.createQuery("SELECT uid FROM messages ORDER BY uid")
                    .mapTo(Long.class).list());
            assertThat(storedUids).isEqualTo(dovecot.uids("crash", "INBOX"));
            assertThat(count(jdbi, "SELECT count(*) FROM pending_actions")).as("server actions left undone").isZero();
            for (long uid : List.of(storedUids.getFirst(), storedUids.get(MESSAGES / 2), storedUids.getLast())) {
                assertThat(dovecot.flags("crash", "INBOX", uid)).as("uid %d marked read after commit", uid).contains("\\Seen");
            }
        }
    }

    private static Process start(Map<String, String> environment, long mailboxId, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(InstalledPlugins.DIST.resolve("bin/mailroom").toString(),
                "sync", "--mailbox", Long.toString(mailboxId)).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }
}
