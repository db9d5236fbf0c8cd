package io.mailroom.plugins.imap;

import io.mailroom.api.TemporaryException;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.testkit.dovecot.DovecotServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mailroom.plugins.imap.TestMail.ALL;
import static io.mailroom.plugins.imap.TestMail.CONTEXT;
import static io.mailroom.plugins.imap.TestMail.account;
import static io.mailroom.plugins.imap.TestMail.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Waiting for changes with IDLE against a real Dovecot: flags, expunges, TLS, a crash, a server without IDLE. */
class ImapIdleDovecotTest extends ImapIdleContract {

    private static final AtomicInteger USERS = new AtomicInteger();

    @TempDir
    static Path dir;
    static DovecotServer dovecot;
    private String user;

    @BeforeAll
    static void startDovecot() {
        dovecot = DovecotServer.start(dir.resolve("dovecot"), true);
    }

    @AfterAll
    static void stopDovecot() {
        dovecot.close();
    }

    @BeforeEach
    void newUser() {
        user = "watcher" + USERS.incrementAndGet();
        dovecot.addUser(user, "secret");
    }

    @Override
    SourceConnection connect() {
        return new ImapSource().connect(account(dovecot.imapPort(), user, "secret"), CONTEXT);
    }

    @Override
    void appendByAnotherClient(String subject) {
        dovecot.append(user, "INBOX", message(subject));
    }

    @Override
    void createFolder(String name) {
        dovecot.createFolder(user, name);
    }

    @Test
    void flag_changes_and_expunges_by_another_client_end_a_wait() throws Exception {
        long uid = dovecot.append(user, "INBOX", message("one"));
        try (SourceConnection connection = connect()) {
            connection.awaitChange("INBOX", LONG);

            CompletableFuture<Boolean> waiting = waitInBackground(connection, LONG);
            Thread.sleep(200);
            dovecot.addFlags(user, "INBOX", new long[]{uid}, "\\Flagged");
            assertThat(waiting.get(10, TimeUnit.SECONDS)).as("flag change").isTrue();

            waiting = waitInBackground(connection, LONG);
            Thread.sleep(200);
            dovecot.expunge(user, "INBOX", uid);
            assertThat(waiting.get(10, TimeUnit.SECONDS)).as("expunge").isTrue();

            assertThat(connection.awaitChange("INBOX", SHORT)).isFalse();
        }
    }

    @Test
    void on_a_connection_that_synced_with_qresync_expunges_come_as_vanished_and_the_next_mail_is_still_news() {
        List<Long> uids = dovecot.appendMany(user, "INBOX", List.of(message("one"), message("two"), message("three")));
        SyncCursor cursor;
        try (SourceConnection connection = connect(); FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            FolderBatch batch = reader.next(10, Long.MAX_VALUE);
            cursor = new SyncCursor(batch.cursorAfter().validity(), batch.cursorAfter().lastUid(),
                    reader.serverCursor().highestModSeq());
        }
        try (SourceConnection connection = connect()) {
            // SELECT (QRESYNC ...): the connection now speaks QRESYNC, and goes back to Angus' pool
            connection.open("INBOX", cursor, ALL).close();
            connection.awaitChange("INBOX", LONG);

            dovecot.expunge(user, "INBOX", uids.getFirst());
            assertThat(connection.awaitChange("INBOX", Duration.ofSeconds(5))).as("expunge").isTrue();
            dovecot.append(user, "INBOX", message("four"));
            assertThat(connection.awaitChange("INBOX", Duration.ofSeconds(5))).as("three messages again, one of them new").isTrue();
            assertThat(connection.awaitChange("INBOX", SHORT)).isFalse();
        }
    }

    @Test
    void waits_over_ssl_and_starttls() throws Exception {
        SSLContext previous = SSLContext.getDefault();
        SSLContext.setDefault(dovecot.certificate().orElseThrow().trustingContext());
        try {
            for (String security : new String[]{"ssl", "starttls"}) {
                int port = security.equals("ssl") ? dovecot.imapsPort() : dovecot.imapPort();
                try (SourceConnection connection = new ImapSource().connect(
                        account(port, security, Credential.password(user, "secret")), CONTEXT)) {
                    connection.awaitChange("INBOX", LONG);
                    assertThat(connection.awaitChange("INBOX", SHORT)).as(security + ", quiet").isFalse();

                    CompletableFuture<Boolean> waiting = waitInBackground(connection, LONG);
                    Thread.sleep(200);
                    appendByAnotherClient("over " + security);
                    long appended = System.nanoTime();
                    assertThat(waiting.get(10, TimeUnit.SECONDS)).as(security + ", new mail").isTrue();
                    print("APPEND to wait's end over " + security, millisSince(appended));
                }
            }
        } finally {
            SSLContext.setDefault(previous);
        }
    }

    @Test
    void a_server_crash_ends_a_wait_with_a_temporary_failure_and_the_host_connects_again() throws Exception {
        try (SourceConnection connection = connect()) {
            connection.awaitChange("INBOX", LONG);
            CompletableFuture<Boolean> waiting = waitInBackground(connection, LONG);
            Thread.sleep(200);

            dovecot.crash();
            try {
                assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(TemporaryException.class);
            } finally {
                dovecot.resume();
            }
            assertThatThrownBy(() -> connection.awaitChange("INBOX", SHORT)).as("this connection is gone")
                    .isInstanceOf(TemporaryException.class);
        }
        try (SourceConnection again = connect()) {
            assertThat(again.awaitChange("INBOX", SHORT)).isTrue();
        }
    }

    /**
     * More waits than the JVM has carrier threads, on the threads the host runs them on. On every
     * JDK no carrier is pinned (a new virtual thread still runs) and mail ends the one wait it
     * concerns. From JDK 24 the waits are virtual and hold no platform thread each; before, a
     * virtual thread would pin its carrier in Angus' synchronized reads, so each wait holds a
     * platform thread of its own instead.
     */
    @Test
    void many_waits_on_the_hosts_threads_pin_no_carrier() throws Exception {
        int watches = Math.max(24, 2 * Runtime.getRuntime().availableProcessors() + 1);
        List<String> users = new ArrayList<>();
        List<SourceConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < watches; i++) {
                users.add(user + "-" + i);
                dovecot.addUser(users.getLast(), "secret");
                connections.add(new ImapSource().connect(account(dovecot.imapPort(), users.getLast(), "secret"), CONTEXT));
                connections.getLast().awaitChange("INBOX", LONG);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            int before = threads.getThreadCount();
            List<CompletableFuture<Boolean>> waits = new ArrayList<>();
            connections.forEach(c -> waits.add(waitInBackground(c, LONG)));
            Thread.sleep(500);
            int during = threads.getThreadCount();
            System.out.printf("[%s] JDK %d, platform threads: %d before %d waits, %d during them%n",
                    getClass().getSimpleName(), Runtime.version().feature(), before, watches, during);

            Thread other = Thread.ofVirtual().start(() -> { });
            assertThat(other.join(Duration.ofSeconds(5))).as("a virtual thread runs while every wait blocks").isTrue();
            long platformThreadsWaiting = Thread.getAllStackTraces().values().stream().filter(stack ->
                    Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith(FolderWatch.class.getName())))
                    .count();
            if (Runtime.version().feature() >= 24) {
                assertThat(during - before).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() + 8);
                assertThat(platformThreadsWaiting).isZero();
            } else {
                assertThat(platformThreadsWaiting).isEqualTo(watches);
            }
            dovecot.append(users.get(7), "INBOX", message("to one of many"));
            assertThat(waits.get(7).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(waits.stream().filter(CompletableFuture::isDone)).hasSize(1);
        } finally {
            connections.forEach(SourceConnection::close);
        }
    }

    @Test
    void a_server_without_idle_offers_no_push(@TempDir Path elsewhere) {
        try (DovecotServer noIdle = DovecotServer.start(elsewhere.resolve("dovecot"), false, """
                imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE MULTIAPPEND UNSELECT CHILDREN \
                NAMESPACE UIDPLUS LIST-EXTENDED CONDSTORE QRESYNC ESEARCH LIST-STATUS MOVE LITERAL+ SPECIAL-USE
                """).addUser("dave", "secret");
             SourceConnection connection = new ImapSource().connect(account(noIdle.imapPort(), "dave", "secret"), CONTEXT)) {
            assertThat(connection.capabilities()).doesNotContain("IDLE");
            assertThat(connection.supportsPush()).isFalse();
            assertThatThrownBy(() -> connection.awaitChange("INBOX", SHORT)).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
