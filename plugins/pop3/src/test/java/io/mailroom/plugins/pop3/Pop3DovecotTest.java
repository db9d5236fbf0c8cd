package io.mailroom.plugins.pop3;

import io.mailroom.api.PermanentException;
import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.plugins.pop3.PipelineDriver.Step;
import io.mailroom.testkit.dovecot.DovecotServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocketFactory;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plugin against a real Dovecot POP3 server (Debian's dovecot-pop3d), as the host drives it. */
@Timeout(60)
class Pop3DovecotTest {

    @TempDir
    static Path dir;
    static DovecotServer dovecot;
    static SSLSocketFactory trusting;

    private static final Instant NOW = Instant.now();

    private final TestContext context = new TestContext();

    @BeforeAll
    static void start() {
        dovecot = DovecotServer.start(dir, true);
        trusting = dovecot.certificate().orElseThrow().trustingContext().getSocketFactory();
    }

    @AfterAll
    static void stop() {
        dovecot.close();
    }

    private static Pop3Source source() {
        return new Pop3Source(trusting, Duration.ofSeconds(10));
    }

    /** A user with {@code count} messages, dated by {@code date(i)} for message i (1-based). */
    private static List<byte[]> mailbox(String user, int count, java.util.function.IntFunction<Instant> date) {
        dovecot.addUser(user, "secret");
        List<byte[]> contents = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            contents.add(TestMessages.message(i, date.apply(i), (i % 7) * 400));
        }
        dovecot.appendMany(user, "INBOX", contents);
        return contents;
    }

    private static MailboxAccount account(String user, String... settings) {
        return TestMessages.account(dovecot.host(), dovecot.pop3sPort(), "ssl", user, "secret", settings);
    }

    private static MailboxAccount plainAccount(String user, String... settings) {
        return TestMessages.account(dovecot.host(), dovecot.pop3Port(), "none", user, "secret", settings);
    }

    private static int onServer(String user) {
        try (SourceConnection connection = source().connect(account(user), new TestContext())) {
            return Math.toIntExact(connection.folders().getFirst().messages());
        }
    }

    @Test
    void imports_a_few_hundred_messages_exactly_once_and_keeps_them_on_the_server() {
        List<byte[]> contents = mailbox("keeper", 300, i -> NOW.minus(Duration.ofMinutes(300 - i)));
        PipelineDriver host = new PipelineDriver(source(), context).batches(50, 32L * 1024 * 1024)
                .notBefore(NOW.minus(Duration.ofDays(365)));

        PipelineDriver.Run first = host.sync(account("keeper"));
        PipelineDriver.Run second = host.sync(account("keeper"));

        assertThat(first.batches()).hasSize(6);
        assertThat(second.messages()).isZero();
        assertThat(host.stored().values()).containsExactlyElementsOf(contents);
        assertThat(host.committedTwice()).isEmpty();
        assertThat(onServer("keeper")).isEqualTo(300);
    }

    @Test
    void delete_after_import_survives_a_crash_between_commit_and_quit_with_every_message_once() throws Exception {
        List<byte[]> contents = mailbox("importer", 300, i -> NOW.minus(Duration.ofMinutes(300 - i)));
        try (TcpProxy proxy = new TcpProxy(dovecot.host(), dovecot.pop3Port())) {
            MailboxAccount account = TestMessages.account(dovecot.host(), proxy.port(), "starttls", "importer", "secret",
                    "server_copy", "delete_after_import");
            PipelineDriver host = new PipelineDriver(source(), context).batches(40, 32L * 1024 * 1024);

            host.sync(account, index -> index == 3 ? Step.CRASH_AFTER_COMMIT : Step.COMMIT, proxy::cut);
            assertThat(host.stored()).hasSize(160);
            // no QUIT reached the server: nothing was deleted yet
            assertThat(onServer("importer")).isEqualTo(300);

            PipelineDriver.Run after = host.sync(account);

            assertThat(after.messages()).isEqualTo(140);
            assertThat(host.stored().values()).containsExactlyElementsOf(contents);
            assertThat(host.committedTwice()).isEmpty();
            assertThat(onServer("importer")).isZero();
        }
    }

    @Test
    void delete_after_days_deletes_stored_mail_older_than_the_limit_by_its_date() {
        // messages 1..100 were sent 30 days ago, 101..200 two days ago
        mailbox("ager", 200, i -> NOW.minus(Duration.ofDays(i <= 100 ? 30 : 2)).plusSeconds(i));
        PipelineDriver host = new PipelineDriver(source(), context).batches(100, 32L * 1024 * 1024);
        MailboxAccount account = account("ager", "server_copy", "delete_after_days", "delete_after_days", "14");

        host.sync(account);
        assertThat(onServer("ager")).as("nothing was stored when the first session opened").isEqualTo(200);

        PipelineDriver.Run second = host.sync(account);
        assertThat(second.messages()).isZero();
        assertThat(onServer("ager")).isEqualTo(100);

        context.advancedBy(Duration.ofDays(13));
        host.sync(account);
        assertThat(onServer("ager")).isZero();
        assertThat(host.stored()).hasSize(200);
        assertThat(host.committedTwice()).isEmpty();
    }

    @Test
    void a_server_certificate_that_is_not_trusted_is_a_permanent_failure() {
        dovecot.addUser("untrusting", "secret");
        Pop3Source defaultTrust = new Pop3Source(null, Duration.ofSeconds(10));

        assertThatThrownBy(() -> defaultTrust.connect(account("untrusting"), context))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("certificate is not trusted");
    }

    @Test
    void streams_a_25_mb_message_to_a_spool_file_without_holding_it_in_heap() throws Exception {
        dovecot.addUser("big", "secret");
        byte[] big = TestMessages.message(1, NOW, 25 * 1024 * 1024);
        dovecot.append("big", "INBOX", big);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(big);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        try (SourceConnection connection = source().connect(plainAccount("big"), context);
             FolderReader reader = connection.open("INBOX", SyncCursor.START, new FetchOptions(null, false, key -> false))) {
            long before = threads.getCurrentThreadAllocatedBytes();
            RawMessage message = reader.next(10, 32L * 1024 * 1024).messages().getFirst();
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(message.content().file()).isPresent();
            assertThat(allocated).as("bytes allocated while retrieving").isLessThan(4L * 1024 * 1024);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = message.content().open()) {
                byte[] chunk = new byte[64 * 1024];
                for (int n; (n = in.read(chunk)) >= 0; ) {
                    digest.update(chunk, 0, n);
                }
            }
            assertThat(digest.digest()).isEqualTo(expected);
            assertThat(reader.next(10, 32L * 1024 * 1024).isEmpty()).isTrue();
            assertThat(message.content().file().orElseThrow()).as("the host's until it releases it").exists();
            message.content().release();
            assertThat(message.content().file().orElseThrow()).doesNotExist();
        }
    }

    @Test
    void reports_dovecots_capa_with_uidl_and_pipelining() {
        dovecot.addUser("capa", "secret");
        try (SourceConnection connection = source().connect(account("capa"), context)) {
            assertThat(connection.capabilities()).contains("UIDL", "PIPELINING", "TOP");
        }
    }

}
