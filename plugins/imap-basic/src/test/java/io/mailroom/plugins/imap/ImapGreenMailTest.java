package io.mailroom.plugins.imap;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.PermanentException;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.ContentSpool;
import io.mailroom.testkit.context.FakeContext;
import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderChanges;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.PostAction;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import static io.mailroom.plugins.imap.TestMail.ALL;
import static io.mailroom.plugins.imap.TestMail.CONTEXT;
import static io.mailroom.plugins.imap.TestMail.account;
import static io.mailroom.plugins.imap.TestMail.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The IMAP source against GreenMail: in-process, fast; IDLE, MOVE, UIDPLUS, XOAUTH2, no CONDSTORE. */
class ImapGreenMailTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice@example.com", "alice", "secret"))
            .withPerMethodLifecycle(true);

    private final ImapSource source = new ImapSource();
    private GreenMailUser alice;

    @BeforeEach
    void findAlice() {
        alice = greenMail.getUserManager().getUser("alice");
    }

    private SourceConnection connect() {
        return source.connect(account(greenMail.getImap().getPort(), "alice", "secret"), CONTEXT);
    }

    private MailFolder folder(String name) throws Exception {
        return greenMail.getManagers().getImapHostManager().getFolder(alice, name, true);
    }

    private MailFolder inbox() throws Exception {
        return greenMail.getManagers().getImapHostManager().getInbox(alice);
    }

    private static long deliver(MailFolder folder, byte[] rfc822, Instant received, Flags.Flag... flags) throws Exception {
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(rfc822));
        Flags set = new Flags();
        for (Flags.Flag flag : flags) {
            set.add(flag);
        }
        return folder.appendMessage(mime, set, Date.from(received));
    }

    private List<Long> deliverMany(int count, int size) throws Exception {
        List<Long> uids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            uids.add(deliver(inbox(), message("message " + i, size), Instant.now()));
        }
        return uids;
    }

    private static List<FolderBatch> drain(FolderReader reader, int maxMessages, long maxBytes) {
        List<FolderBatch> batches = new ArrayList<>();
        for (FolderBatch batch = reader.next(maxMessages, maxBytes); !batch.isEmpty(); batch = reader.next(maxMessages, maxBytes)) {
            batches.add(batch);
        }
        return batches;
    }

    private static List<String> subjects(List<FolderBatch> batches) {
        return batches.stream().flatMap(b -> b.messages().stream()).map(TestMail::subjectOf).toList();
    }

    @Test
    void connects_and_lists_folders_with_their_counts_and_the_server_capabilities() throws Exception {
        greenMail.getManagers().getImapHostManager().createMailbox(alice, "Archive");
        deliverMany(3, 300);

        try (SourceConnection connection = connect()) {
            assertThat(connection.capabilities()).contains("IMAP4rev1", "MOVE", "UIDPLUS");
            assertThat(connection.folders()).extracting(FolderInfo::name, FolderInfo::messages)
                    .contains(tuple("INBOX", 3L),
                            tuple("Archive", 0L));
        }
    }

    @Test
    void reads_a_folder_in_batches_bounded_by_count_with_the_cursor_advancing() throws Exception {
        List<Long> uids = deliverMany(10, 1000);

        try (SourceConnection connection = connect();
             FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            SyncCursor server = reader.serverCursor();
            assertThat(server.validity()).isPositive();
            assertThat(server.lastUid()).isEqualTo(uids.getLast());

            List<FolderBatch> batches = drain(reader, 4, Long.MAX_VALUE);

            assertThat(batches).extracting(b -> b.messages().size()).containsExactly(4, 4, 2);
            assertThat(batches).extracting(b -> b.cursorAfter().lastUid())
                    .containsExactly(uids.get(3), uids.get(7), uids.get(9));
            assertThat(batches).allSatisfy(b -> assertThat(b.cursorAfter().validity()).isEqualTo(server.validity()));
            assertThat(batches.stream().flatMap(b -> b.messages().stream()).map(RawMessage::uid).toList())
                    .containsExactlyElementsOf(uids);
            assertThat(subjects(batches).getFirst()).isEqualTo("message 1");
            RawMessage first = batches.getFirst().messages().getFirst();
            assertThat(first.serverKey()).isEqualTo(Long.toString(first.uid()));
            assertThat(first.internalDate()).isNotNull();
            assertThat(first.content().size()).isEqualTo(TestMail.bytesOf(first).length).isGreaterThan(1000);
        }
    }

    @Test
    void cuts_batches_by_bytes_but_always_returns_the_first_message() throws Exception {
        deliver(inbox(), message("big", 20_000), Instant.now());
        deliverMany(4, 1000);

        try (SourceConnection connection = connect();
             FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            List<FolderBatch> batches = drain(reader, 100, 2_500);

            assertThat(batches).extracting(b -> b.messages().size()).containsExactly(1, 2, 2);
            assertThat(subjects(batches)).containsExactly("big", "message 1", "message 2", "message 3", "message 4");
        }
    }

    @Test
    void a_second_open_from_the_cursor_returns_only_new_mail() throws Exception {
        deliverMany(3, 300);
        SyncCursor cursor;
        try (SourceConnection connection = connect();
             FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            cursor = drain(reader, 10, Long.MAX_VALUE).getLast().cursorAfter();
            assertThat(reader.next(10, Long.MAX_VALUE).cursorAfter()).isEqualTo(cursor);
        }
        deliver(inbox(), message("new one"), Instant.now());

        try (SourceConnection connection = connect();
             FolderReader reader = connection.open("INBOX", cursor, ALL)) {
            List<FolderBatch> batches = drain(reader, 10, Long.MAX_VALUE);

            assertThat(subjects(batches)).containsExactly("new one");
            assertThat(batches.getLast().cursorAfter().lastUid()).isEqualTo(cursor.lastUid() + 1);
            assertThat(reader.changes()).isEqualTo(FolderChanges.NONE);
        }
    }

    @Test
    void reading_never_sets_seen() throws Exception {
        deliverMany(3, 300);

        try (SourceConnection connection = connect();
             FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            assertThat(drain(reader, 10, Long.MAX_VALUE).getFirst().messages())
                    .allSatisfy(m -> assertThat(m.flags()).doesNotContain("\\Seen"));
        }

        assertThat(inbox().getMessages()).hasSize(3).noneMatch(m -> m.isSet(Flags.Flag.SEEN));
    }

    @Test
    void unread_only_reads_unseen_messages_and_moves_the_cursor_past_the_others() throws Exception {
        deliver(inbox(), message("read before"), Instant.now(), Flags.Flag.SEEN);
        deliver(inbox(), message("unread"), Instant.now());
        long last = deliver(inbox(), message("read after"), Instant.now(), Flags.Flag.SEEN);

        try (SourceConnection connection = connect();
             FolderReader reader = connection.open("INBOX", SyncCursor.START, new FetchOptions(null, true, key -> false))) {
            FolderBatch batch = reader.next(10, Long.MAX_VALUE);

            assertThat(batch.messages()).extracting(TestMail::subjectOf).containsExactly("unread");
            assertThat(batch.cursorAfter().lastUid()).isEqualTo(last);
            assertThat(reader.next(10, Long.MAX_VALUE).isEmpty()).isTrue();
        }
    }

    @Test
    void not_before_skips_messages_received_earlier() throws Exception {
        Instant cut = TestMail.daysAgo(30);
        deliver(inbox(), message("a year ago"), TestMail.daysAgo(365));
        deliver(inbox(), message("an hour before the cut"), cut.minusSeconds(3600));
        deliver(inbox(), message("an hour after the cut"), cut.plusSeconds(3600));
        long last = deliver(inbox(), message("today"), Instant.now());

        try (SourceConnection connection = connect();
             FolderReader reader = connection.open("INBOX", SyncCursor.START, new FetchOptions(cut, false, key -> false))) {
            List<FolderBatch> batches = drain(reader, 10, Long.MAX_VALUE);

            assertThat(subjects(batches)).containsExactly("an hour after the cut", "today");
            assertThat(batches.getLast().cursorAfter().lastUid()).isEqualTo(last);
        }
    }

    @Test
    void post_actions_mark_seen_move_into_a_new_folder_and_delete_and_can_be_repeated() throws Exception {
        List<Long> uids = deliverMany(5, 300);
        long validity = inbox().getUidValidity();
        List<PostAction> actions = List.of(
                new PostAction.MarkSeen(uids.get(0).toString()),
                new PostAction.MarkSeen(uids.get(1).toString()),
                new PostAction.MoveTo(uids.get(1).toString(), "Processed"),
                new PostAction.MoveTo(uids.get(2).toString(), "Processed"),
                new PostAction.Delete(uids.get(3).toString()));

        try (SourceConnection connection = connect()) {
            connection.apply("INBOX", validity, actions);
            connection.apply("INBOX", validity, actions);
        }

        assertThat(inbox().getMessages()).extracting(StoredMessage::getUid).containsExactly(uids.get(0), uids.get(4));
        assertThat(inbox().getMessage(uids.get(0)).isSet(Flags.Flag.SEEN)).isTrue();
        assertThat(inbox().getMessage(uids.get(4)).isSet(Flags.Flag.SEEN)).isFalse();
        List<StoredMessage> processed = folder("Processed").getMessages();
        assertThat(processed).extracting(m -> m.getMimeMessage().getSubject()).containsExactly("message 2", "message 3");
        assertThat(processed.getFirst().isSet(Flags.Flag.SEEN)).isTrue();
    }

    @Test
    void the_flag_post_action_sets_flagged_and_nothing_else() throws Exception {
        List<Long> uids = deliverMany(2, 300);

        try (SourceConnection connection = connect()) {
            connection.apply("INBOX", inbox().getUidValidity(), List.of(new PostAction.Flag(uids.get(1).toString())));
        }

        assertThat(inbox().getMessage(uids.get(1)).isSet(Flags.Flag.FLAGGED)).isTrue();
        assertThat(inbox().getMessage(uids.get(1)).isSet(Flags.Flag.SEEN)).isFalse();
        assertThat(inbox().getMessage(uids.get(0)).isSet(Flags.Flag.FLAGGED)).isFalse();
    }

    @Test
    void fetches_one_message_by_its_key_without_marking_it_read() throws Exception {
        List<Long> uids = deliverMany(3, 300);
        long validity = inbox().getUidValidity();

        try (SourceConnection connection = connect()) {
            RawMessage second = connection.fetch("INBOX", validity, uids.get(1).toString(), 1 << 20).orElseThrow();
            assertThat(TestMail.subjectOf(second)).isEqualTo("message 2");
            assertThat(second.serverKey()).isEqualTo(uids.get(1).toString());
            assertThat(connection.fetch("INBOX", validity, "999999", 1 << 20)).isEmpty();
            assertThat(connection.fetch("INBOX", validity + 1, uids.get(1).toString(), 1 << 20)).isEmpty();
            assertThat(connection.fetch("NoSuchFolder", validity, uids.get(1).toString(), 1 << 20)).isEmpty();
        }

        assertThat(inbox().getMessages()).noneMatch(m -> m.isSet(Flags.Flag.SEEN));
    }

    @Test
    void post_actions_for_another_uidvalidity_do_nothing() throws Exception {
        List<Long> uids = deliverMany(1, 300);

        try (SourceConnection connection = connect()) {
            connection.apply("INBOX", inbox().getUidValidity() + 1, List.of(new PostAction.Delete(uids.getFirst().toString())));
        }

        assertThat(inbox().getMessages()).hasSize(1);
    }

    @Test
    void a_wrong_password_fails_authentication() {
        assertThatThrownBy(() -> source.connect(account(greenMail.getImap().getPort(), "alice", "wrong"), CONTEXT))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageNotContaining("wrong");
    }

    @Test
    void a_server_that_does_not_answer_is_a_temporary_failure() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> source.connect(account(deadPort, "alice", "secret"), CONTEXT))
                .isInstanceOf(TemporaryException.class)
                .hasMessageContaining("127.0.0.1:" + deadPort);
    }

    @Test
    void starttls_required_from_a_server_without_it_is_a_permanent_failure() {
        assertThatThrownBy(() -> source.connect(
                account(greenMail.getImap().getPort(), "starttls", Credential.password("alice", "secret")), CONTEXT))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("STARTTLS");
    }

    @Test
    void logs_in_with_xoauth2() throws Exception {
        deliverMany(1, 300);
        Credential token = new Credential("alice", "secret", Credential.Mechanism.XOAUTH2);

        try (RecordingProxy proxy = new RecordingProxy(greenMail.getImap().getPort());
             SourceConnection connection = source.connect(account(proxy.port(), "none", token), CONTEXT);
             FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            assertThat(reader.next(10, Long.MAX_VALUE).messages()).hasSize(1);
            assertThat(proxy.clientLines()).anyMatch(line -> line.contains("AUTHENTICATE XOAUTH2"))
                    .noneMatch(line -> line.contains(" LOGIN "));
        }
    }

    @Test
    void fetches_in_bulk_with_peek_a_few_commands_per_batch() throws Exception {
        deliverMany(50, 500);

        try (RecordingProxy proxy = new RecordingProxy(greenMail.getImap().getPort());
             SourceConnection connection = source.connect(account(proxy.port(), "alice", "secret"), CONTEXT);
             FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            assertThat(drain(reader, 25, Long.MAX_VALUE)).hasSize(2);

            List<String> fetches = proxy.clientLines().stream().filter(line -> line.contains("FETCH")).toList();
            // per batch: sizes and dates, then all bodies at once
            assertThat(fetches).hasSize(4).allMatch(line -> line.contains("UID FETCH"))
                    .noneMatch(line -> line.contains("BODY[]"));
            assertThat(fetches).filteredOn(line -> line.contains("BODY.PEEK[]")).hasSize(2);
        }
    }

    @Test
    void a_folder_that_does_not_exist_cannot_be_opened() {
        try (SourceConnection connection = connect()) {
            assertThatThrownBy(() -> connection.open("Nowhere", SyncCursor.START, ALL))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("Nowhere");
        }
    }

    @Test
    void a_fetch_answer_without_a_body_does_not_move_the_cursor_past_that_message() throws Exception {
        List<Long> uids = deliverMany(3, 500);

        try (BodyDroppingProxy proxy = new BodyDroppingProxy(greenMail.getImap().getPort(), uids.get(1));
             SourceConnection connection = source.connect(account(proxy.port(), "alice", "secret"), CONTEXT);
             FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            FolderBatch batch = reader.next(10, Long.MAX_VALUE);

            assertThat(batch.messages()).extracting(RawMessage::uid).containsExactly(uids.get(0));
            assertThat(batch.cursorAfter().lastUid()).isEqualTo(uids.get(1) - 1);
            assertThat(reader.next(10, Long.MAX_VALUE).isEmpty()).isTrue();

            // the next sync, through a server that answers properly, reads it
            try (SourceConnection direct = connect();
                 FolderReader again = direct.open("INBOX", batch.cursorAfter(), ALL)) {
                assertThat(drain(again, 10, Long.MAX_VALUE)).flatExtracting(FolderBatch::messages)
                        .extracting(RawMessage::uid).containsExactly(uids.get(1), uids.get(2));
            }
        }
    }

    @Test
    void a_message_over_the_size_limit_is_read_only_to_one_byte_past_the_limit_in_memory_or_spooled() throws Exception {
        deliver(inbox(), message("small", 2_000), Instant.now());
        deliver(inbox(), message("big", 300_000), Instant.now());
        deliver(inbox(), message("middle", 60_000), Instant.now());
        FetchOptions limited = new FetchOptions(null, false, key -> false, 100_000);

        for (long threshold : new long[]{50_000, 1_000_000}) {
            ImapSource chunking = new ImapSource(threshold);
            FakeContext spooling = new FakeContext("imap-basic").spool(
                    new ContentSpool(java.nio.file.Files.createTempDirectory("spool"), threshold));
            try (SourceConnection connection = chunking.connect(account(greenMail.getImap().getPort(), "alice", "secret"),
                    spooling);
                 FolderReader reader = connection.open("INBOX", SyncCursor.START, limited)) {
                List<RawMessage> messages = reader.next(10, Long.MAX_VALUE).messages();

                assertThat(messages).extracting(TestMail::subjectOf).as("threshold %d", threshold)
                        .containsExactly("small", "big", "middle");
                assertThat(messages.get(1).content().size()).isEqualTo(100_001L);
                assertThat(messages.get(0).content().size()).isBetween(2_000L, 3_000L);
                assertThat(messages.get(2).content().size()).isBetween(60_000L, 61_000L);
                assertThat(TestMail.bytesOf(messages.get(2))).hasSize((int) messages.get(2).content().size());
            }
        }
    }
}
