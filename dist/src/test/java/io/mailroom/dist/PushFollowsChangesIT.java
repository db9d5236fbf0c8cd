package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.dovecot.DovecotServer;
import io.mailroom.testkit.mail.MailCorpus;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push follows the mailbox as it is configured: a mailbox created with push, or switched to it,
 * is watched as soon as the API has answered; a watch whose login is refused says so and comes
 * back with the settings that fix it. The poll frequency is an hour, so within these tests only
 * push (and the one scheduled sync right after a mailbox is created) brings mail in. The waits
 * are generous, far under the hour; the timings are printed, not asserted.
 */
class PushFollowsChangesIT {

    /** Far under the poll frequency: a message that arrives within this came by push. */
    private static final Duration BY_PUSH = Duration.ofSeconds(15);
    private static final AtomicInteger USERS = new AtomicInteger();

    @TempDir
    static Path dir;
    static DovecotServer dovecot;
    static TestMailroom mailroom;
    static ApiClient admin;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        dovecot = DovecotServer.start(dir.resolve("dovecot"));
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic");
        mailroom = TestMailroom.start(dir, Map.of("mailroom.poll.frequency", "3600"));
        admin = mailroom.admin();
        jdbi = mailroom.mailroom().core().database().jdbi();
    }

    @AfterAll
    static void stop() {
        try {
            mailroom.close();
        } finally {
            dovecot.close();
        }
    }

    @Test
    void a_mailbox_created_with_push_or_switched_to_it_is_watched_at_once_and_gets_new_mail_without_a_poll()
            throws InterruptedException {
        String user = newUser("pw");
        long created = System.nanoTime();
        long id = createPushMailbox(user, "pw");
        assertThat(leases(id)).as("the lease is taken before the API answers").isEqualTo(1);
        assertThat(watchThreadsOnPlatformThreads(id)).as("watches use platform threads only before JDK 24")
                .isEqualTo(Runtime.version().feature() < 24);
        awaitTrue(BY_PUSH, "the first sync", () -> finishedPolls(id) >= 1);
        print("create to first sync finished", created);

        long appended = System.nanoTime();
        append(user, 1);
        awaitTrue(BY_PUSH, "the new message stored by push", () -> messages(id) == 1);
        print("APPEND to stored", appended);

        assertThat(admin.put("/api/mailboxes/" + id, Map.of("push", false)).status()).isEqualTo(200);
        assertThat(leases(id)).as("the lease is given up before the API answers").isZero();

        assertThat(admin.put("/api/mailboxes/" + id, Map.of("push", true)).status()).isEqualTo(200);
        assertThat(leases(id)).as("switched on: the lease is taken before the API answers").isEqualTo(1);
        append(user, 2);
        awaitTrue(BY_PUSH, "the message sent after push was switched on", () -> messages(id) == 2);
    }

    @Test
    void a_watch_whose_login_is_refused_reports_it_and_resumes_when_a_put_fixes_the_password() throws InterruptedException {
        String user = newUser("old-password");
        long id = createPushMailbox(user, "old-password");
        awaitTrue(BY_PUSH, "the first sync", () -> finishedPolls(id) >= 1);
        append(user, 1);
        awaitTrue(BY_PUSH, "a message by push", () -> messages(id) == 1);

        // the password changes on the server, and the watch's connection drops: it has to log in again
        dovecot.addUser(user, "new-password");
        dovecot.restart();
        awaitTrue(Duration.ofSeconds(60), "the refused login shown on the mailbox",
                () -> mailbox(id).get("status").asText().equals("auth_failed"));
        assertThat(mailbox(id).get("last_error").asText()).isNotBlank();
        append(user, 2);

        Reply fixed = admin.put("/api/mailboxes/" + id, Map.of("settings", Map.of("password", "new-password")));
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        long put = System.nanoTime();
        awaitTrue(BY_PUSH, "the message that came while the login was refused", () -> messages(id) == 2);
        print("PUT of the password to the waiting message stored", put);
        awaitTrue(BY_PUSH, "the mailbox active again", () -> mailbox(id).get("status").asText().equals("active"));

        long appended = System.nanoTime();
        append(user, 3);
        awaitTrue(BY_PUSH, "the next message by push", () -> messages(id) == 3);
        print("APPEND to stored, the watch running again", appended);
    }

    private static String newUser(String password) {
        String user = "follow" + USERS.incrementAndGet();
        dovecot.addUser(user, password);
        return user;
    }

    private static long createPushMailbox(String user, String password) {
        Reply created = admin.post("/api/mailboxes", Map.of("name", user, "email", user + "@example.com",
                "source", "imap", "push", true, "settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(),
                        "security", "none", "username", user, "password", password)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static void append(String user, long seed) {
        dovecot.append(user, "INBOX", MailCorpus.generate(1, seed, Instant.now()).getFirst());
    }

    private static JsonNode mailbox(long id) {
        return admin.get("/api/mailboxes/" + id).json();
    }

    private static long leases(long id) {
        return count("SELECT count(*) FROM push_leases WHERE mailbox_id = " + id + " AND expires_at > now()");
    }

    private static long finishedPolls(long id) {
        return count("SELECT count(*) FROM polls WHERE mailbox_id = " + id + " AND finished_at IS NOT NULL");
    }

    private static long messages(long id) {
        return count("SELECT count(*) FROM messages WHERE mailbox_id = " + id);
    }

    private static long count(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    /** Whether the mailbox's watch shows among the platform threads (virtual threads do not). */
    private static boolean watchThreadsOnPlatformThreads(long id) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals("push-" + id));
    }

    private static void awaitTrue(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + timeout).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void print(String what, long sinceNanos) {
        System.out.printf("[PushFollowsChangesIT] %s: %d ms%n", what,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos));
    }
}
