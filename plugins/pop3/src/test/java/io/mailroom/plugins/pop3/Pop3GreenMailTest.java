package io.mailroom.plugins.pop3;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.Settings;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.PostAction;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.plugins.pop3.PipelineDriver.Step;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plugin against GreenMail's POP3 server, driven as the host drives it. */
@Timeout(30)
class Pop3GreenMailTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.POP3.dynamicPort())
            .withPerMethodLifecycle(false);
    private static final AtomicInteger USERS = new AtomicInteger();

    private static final Instant NOW = Instant.now();

    private final TestContext context = new TestContext();
    private final Pop3Source source = new Pop3Source(null, Duration.ofSeconds(5));
    private GreenMailUser user;
    private String login;
    private int delivered;

    @BeforeEach
    void createUser() {
        // one server for the class, a fresh mailbox per test
        login = "alice" + USERS.incrementAndGet();
        user = greenMail.setUser(login + "@example.com", login, "secret");
    }

    private void deliver(int count) {
        deliver(count, 0);
    }

    private void deliver(int count, int padding) {
        for (int i = 0; i < count; i++) {
            delivered++;
            deliverRaw(TestMessages.message(delivered, NOW.minus(Duration.ofMinutes(1000 - delivered)), padding));
        }
    }

    private void deliverRaw(byte[] content) {
        try {
            user.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(content)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private MailboxAccount account(String... settings) {
        return TestMessages.account("127.0.0.1", greenMail.getPop3().getPort(), "none", login, "secret", settings);
    }

    private PipelineDriver host() {
        return new PipelineDriver(source, context);
    }

    /** The UIDLs a new POP3 session lists (the server's state, as any client would see it). */
    private List<String> onServer() {
        try (Pop3Session session = Pop3Session.start(Pop3Settings.from(account().settings()), account().credential(),
                javax.net.SocketFactory.getDefault(), null, Duration.ofSeconds(5), System.getLogger("test"))) {
            return session.listing().stream().map(ListedMessage::uidl).toList();
        }
    }

    private static List<Integer> numbers(Map<String, byte[]> stored) {
        return stored.values().stream().map(TestMessages::numberOf).toList();
    }

    private static byte[] bytes(RawMessage message) {
        try (InputStream in = message.content().open()) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void imports_every_message_once_and_a_second_run_finds_nothing_new() {
        deliver(12);
        PipelineDriver host = host();

        PipelineDriver.Run first = host.sync(account());
        PipelineDriver.Run second = host.sync(account());

        assertThat(first.messages()).isEqualTo(12);
        assertThat(numbers(host.stored())).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(second.messages()).isZero();
        assertThat(host.committedTwice()).isEmpty();
        assertThat(onServer()).hasSize(12);
    }

    @Test
    void picks_up_new_mail_on_the_next_run() {
        deliver(3);
        PipelineDriver host = host();
        host.sync(account());

        deliver(2);
        PipelineDriver.Run next = host.sync(account());

        assertThat(next.messages()).isEqualTo(2);
        assertThat(numbers(host.stored())).containsExactly(1, 2, 3, 4, 5);
        assertThat(host.committedTwice()).isEmpty();
    }

    @Test
    void bounds_each_batch_by_message_count_and_by_bytes_beyond_the_first_message() {
        deliver(7);
        PipelineDriver.Run byCount = host().batches(3, Long.MAX_VALUE).sync(account());

        assertThat(byCount.batches()).extracting(List::size).containsExactly(3, 3, 1);

        deliver(3, 20_000); // messages 8..10 are about 20 KB each
        PipelineDriver host = host().batches(100, 30_000);
        PipelineDriver.Run byBytes = host.notBefore(null).sync(account());

        // the small ones fit together; each 20 KB message needs a batch of its own
        assertThat(byBytes.batches()).extracting(List::size).containsExactly(8, 1, 1);
        assertThat(host.stored()).hasSize(10);
    }

    @Test
    void fetches_one_message_by_its_uidl_and_leaves_it_on_the_server() {
        deliver(3);
        String second = onServer().get(1);

        try (SourceConnection connection = source.connect(account(), context)) {
            RawMessage message = connection.fetch("INBOX", 0, second, 1 << 20).orElseThrow();
            assertThat(message.serverKey()).isEqualTo(second);
            assertThat(TestMessages.numberOf(bytes(message))).isEqualTo(2);
            assertThat(connection.fetch("INBOX", 0, "no-such-uidl", 1 << 20)).isEmpty();
            assertThat(connection.fetch("INBOX", 5, second, 1 << 20)).isEmpty();
        }

        assertThat(onServer()).hasSize(3);
    }

    @Test
    void keep_leaves_every_message_on_the_server() {
        deliver(4);
        host().sync(account("server_copy", "keep"));

        assertThat(onServer()).hasSize(4);
    }

    @Test
    void delete_after_import_deletes_what_was_stored() {
        deliver(5);
        PipelineDriver host = host().batches(2, Long.MAX_VALUE);

        host.sync(account("server_copy", "delete_after_import"));

        assertThat(host.stored()).hasSize(5);
        assertThat(onServer()).isEmpty();
    }

    @Test
    void a_crash_between_commit_and_quit_fetches_nothing_twice_and_the_next_session_deletes_what_was_stored()
            throws Exception {
        deliver(6);
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", greenMail.getPop3().getPort())) {
            MailboxAccount viaProxy = TestMessages.account("127.0.0.1", proxy.port(), "none", login, "secret",
                    "server_copy", "delete_after_import");
            PipelineDriver host = host().batches(2, Long.MAX_VALUE);

            PipelineDriver.Run crashed = host.sync(viaProxy,
                    index -> index == 1 ? Step.CRASH_AFTER_COMMIT : Step.COMMIT, proxy::cut);
            assertThat(crashed.batches()).hasSize(2);
            assertThat(host.stored()).hasSize(4);

            PipelineDriver.Run after = host.sync(viaProxy);

            assertThat(after.messages()).isEqualTo(2);
            assertThat(numbers(host.stored())).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(host.committedTwice()).isEmpty();
            assertThat(onServer()).isEmpty();
        }
    }

    @Test
    void a_batch_whose_commit_failed_is_not_deleted() {
        deliver(6);
        PipelineDriver host = host().batches(2, Long.MAX_VALUE);
        MailboxAccount account = account("server_copy", "delete_after_import");

        host.sync(account, index -> index == 1 ? Step.FAIL_COMMIT : Step.COMMIT, () -> { });

        assertThat(numbers(host.stored())).containsExactly(1, 2);
        List<String> left = onServer();
        assertThat(left).hasSize(4).doesNotContainAnyElementsOf(host.stored().keySet());

        host.sync(account);
        assertThat(numbers(host.stored())).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(onServer()).isEmpty();
    }

    @Test
    void hands_over_new_mail_of_any_date_without_a_date_of_its_own_for_the_host_to_apply_the_window() {
        deliverRaw(TestMessages.message(1, NOW.minus(Duration.ofDays(400))));
        deliverRaw(TestMessages.message(2, NOW.minus(Duration.ofDays(3))));
        deliverRaw("Subject: no date\r\nMessage-ID: <m3@example.com>\r\n\r\nundated\r\n".getBytes());

        try (SourceConnection connection = source.connect(account(), context);
             FolderReader reader = connection.open("INBOX", SyncCursor.START,
                     new FetchOptions(NOW.minus(Duration.ofDays(365)), false, key -> false))) {
            List<RawMessage> batch = reader.next(10, Long.MAX_VALUE).messages();

            assertThat(batch).extracting(message -> TestMessages.numberOf(bytes(message))).containsExactly(1, 2, 3);
            assertThat(batch).extracting(RawMessage::internalDate).containsOnlyNulls();
        }
    }

    @Test
    void lists_one_folder_inbox_with_its_count_and_reports_the_servers_capa() {
        deliver(3);
        try (SourceConnection connection = source.connect(account(), context)) {
            assertThat(connection.folders()).containsExactly(new FolderInfo("INBOX", Set.of(), 3));
            assertThat(connection.capabilities()).contains("UIDL");
        }
    }

    @Test
    void deletes_by_uidl_when_asked_and_ignores_unknown_uidls_flags_and_moves() {
        deliver(3);
        List<String> uidls = onServer();
        try (SourceConnection connection = source.connect(account(), context)) {
            connection.apply("INBOX", 0, List.of(new PostAction.Delete(uidls.get(1)), new PostAction.Delete("no-such-uidl"),
                    new PostAction.MarkSeen(uidls.get(0)), new PostAction.MoveTo(uidls.get(2), "Archive")));
            // the session ended with QUIT: the connection logs in again for what follows
            assertThat(connection.folders().getFirst().messages()).isEqualTo(2);
        }
        assertThat(onServer()).containsExactly(uidls.get(0), uidls.get(2));
    }

    @Test
    void deletes_asked_for_while_a_folder_is_read_take_effect_when_the_reader_closes() {
        deliver(4);
        try (SourceConnection connection = source.connect(account(), context)) {
            try (FolderReader reader = connection.open("INBOX", SyncCursor.START, new FetchOptions(null, false, key -> false))) {
                List<RawMessage> batch = reader.next(2, Long.MAX_VALUE).messages();
                // the host's post-actions run between batches, on the same connection
                connection.apply("INBOX", 0, List.of(new PostAction.Delete(batch.getFirst().serverKey())));
                assertThat(reader.next(2, Long.MAX_VALUE).messages()).hasSize(2);
            }
            assertThat(connection.folders().getFirst().messages()).isEqualTo(3);
        }
        assertThat(onServer()).hasSize(3);
    }

    @Test
    void spools_a_large_message_to_a_file_of_the_hosts_spool_that_is_gone_when_the_host_releases_it() throws Exception {
        deliver(1, 300_000);
        RawMessage message;
        try (SourceConnection connection = source.connect(account(), context);
             FolderReader reader = connection.open("INBOX", SyncCursor.START, new FetchOptions(null, false, key -> false))) {
            message = reader.next(10, Long.MAX_VALUE).messages().getFirst();
            assertThat(message.content().file()).isPresent();
            try (InputStream in = message.content().open()) {
                byte[] bytes = in.readAllBytes();
                assertThat(bytes.length).isEqualTo(message.content().size()).isGreaterThan(300_000);
                assertThat(TestMessages.numberOf(bytes)).isEqualTo(1);
            }
            assertThat(message.internalDate()).isNull();
        }
        Path file = message.content().file().orElseThrow();
        assertThat(file).as("the content outlives the reader: the host owns it").exists();
        message.content().release();
        assertThat(file).doesNotExist();
    }

    @Test
    void logs_in_with_xoauth2_when_the_credential_is_a_token() {
        deliver(1);
        Map<String, String> settings = new HashMap<>(account().settings().values());
        MailboxAccount oauth = new MailboxAccount(1, login + "@example.com", Settings.of(settings),
                new Credential(login, "secret", Credential.Mechanism.XOAUTH2));

        try (SourceConnection connection = source.connect(oauth, context)) {
            assertThat(connection.folders().getFirst().messages()).isEqualTo(1);
        }
    }

    @Test
    void a_wrong_password_is_an_authentication_failure() {
        assertThatThrownBy(() -> source.connect(
                TestMessages.account("127.0.0.1", greenMail.getPop3().getPort(), "none", login, "wrong"), context))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("refused the login of " + login)
                .hasMessageNotContaining("wrong");
    }

    @Test
    void no_server_listening_is_a_temporary_failure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> source.connect(
                TestMessages.account("127.0.0.1", closedPort, "none", "alice", "secret"), context))
                .isInstanceOf(TemporaryException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }

    @Test
    void a_message_over_the_size_limit_is_read_only_to_one_byte_past_it_and_the_connection_stays_usable() {
        deliver(1, 1_000);
        deliver(1, 300_000);
        deliver(1, 80_000);
        PipelineDriver host = host().maxMessageSize(100_000);

        PipelineDriver.Run run = host.sync(account());

        assertThat(run.messages()).isEqualTo(3);
        List<byte[]> stored = List.copyOf(host.stored().values());
        assertThat(stored.get(0).length).isBetween(1_000, 3_000);
        assertThat(stored.get(1).length).isEqualTo(100_001);
        assertThat(stored.get(2).length).isBetween(80_000, 83_000);
        assertThat(TestMessages.numberOf(stored.get(2))).isEqualTo(3);
    }
}
