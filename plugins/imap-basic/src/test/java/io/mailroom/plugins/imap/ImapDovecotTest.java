package io.mailroom.plugins.imap;

import io.mailroom.api.PermanentException;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.FolderChanges;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.PostAction;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.testkit.context.FakeContext;
import io.mailroom.testkit.dovecot.DovecotServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.mailroom.plugins.imap.TestMail.ALL;
import static io.mailroom.plugins.imap.TestMail.CONTEXT;
import static io.mailroom.plugins.imap.TestMail.account;
import static io.mailroom.plugins.imap.TestMail.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The IMAP source against a real Dovecot: CONDSTORE, QRESYNC, UIDVALIDITY, restarts, big mail, TLS. */
class ImapDovecotTest {

    private static final AtomicInteger USERS = new AtomicInteger();

    @TempDir
    static Path dir;
    static DovecotServer dovecot;

    @TempDir
    Path spoolDir;
    private String user;
    private ImapSource source;

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
        user = "user" + USERS.incrementAndGet();
        dovecot.addUser(user, "secret");
        source = new ImapSource();
    }

    private SourceConnection connect() {
        return source.connect(account(dovecot.imapPort(), user, "secret"), new FakeContext("imap-basic").scratchDirectory(spoolDir));
    }

    private List<Long> append(String folder, int count) {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            messages.add(message(folder + " " + i));
        }
        return dovecot.appendMany(user, folder, messages);
    }

    /** Reads a folder to its end, as the host would, and returns the cursor it would store. */
    private SyncCursor sync(String folder, SyncCursor from, List<RawMessage> into) {
        try (SourceConnection connection = connect(); FolderReader reader = connection.open(folder, from, ALL)) {
            SyncCursor cursor = from;
            for (FolderBatch batch = reader.next(3, Long.MAX_VALUE); ; batch = reader.next(3, Long.MAX_VALUE)) {
                into.addAll(batch.messages());
                cursor = batch.cursorAfter();
                if (batch.isEmpty()) {
                    break;
                }
            }
            return new SyncCursor(cursor.validity(), cursor.lastUid(), reader.serverCursor().highestModSeq());
        }
    }

    private static long[] uids(Long... uids) {
        return Arrays.stream(uids).mapToLong(Long::longValue).toArray();
    }

    @Test
    void lists_folders_with_special_use_attributes_and_counts() {
        append("INBOX", 2);

        try (SourceConnection connection = connect()) {
            assertThat(connection.capabilities()).contains("CONDSTORE", "QRESYNC", "MOVE", "UIDPLUS");
            Map<String, FolderInfo> folders = new HashMap<>();
            connection.folders().forEach(f -> folders.put(f.name(), f));
            assertThat(folders.get("INBOX").messages()).isEqualTo(2);
            assertThat(folders.get("Sent").attributes()).contains("\\Sent");
            assertThat(folders.get("Trash").attributes()).contains("\\Trash");
        }
    }

    @Test
    void appends_the_exact_bytes_to_the_sent_folder_flagged_seen() {
        byte[] sent = message("Sent by Mailroom");
        try (SourceConnection connection = connect()) {
            assertThat(connection.supportsAppend()).isTrue();
            connection.append("Sent", io.mailroom.api.source.RawContent.of(sent), java.util.Set.of("\\Seen"));
            assertThatThrownBy(() -> connection.append("No such folder", io.mailroom.api.source.RawContent.of(sent),
                    java.util.Set.of())).isInstanceOf(PermanentException.class);
        }

        List<RawMessage> read = new ArrayList<>();
        sync("Sent", SyncCursor.START, read);
        assertThat(read).hasSize(1);
        assertThat(TestMail.bytesOf(read.getFirst())).isEqualTo(sent);
        assertThat(read.getFirst().flags()).contains("\\Seen");
    }

    @Test
    void reports_flag_changes_since_the_cursor_with_condstore() {
        List<Long> uids = append("INBOX", 3);
        SyncCursor cursor = sync("INBOX", SyncCursor.START, new ArrayList<>());
        assertThat(cursor.highestModSeq()).isPositive();

        dovecot.addFlags(user, "INBOX", uids(uids.get(0)), "\\Flagged");
        dovecot.addFlags(user, "INBOX", uids(uids.get(1)), "\\Seen", "$Label1");

        try (SourceConnection connection = connect(); FolderReader reader = connection.open("INBOX", cursor, ALL)) {
            FolderChanges changes = reader.changes();

            assertThat(changes.flags()).containsOnlyKeys(uids.get(0).toString(), uids.get(1).toString());
            assertThat(changes.flags().get(uids.get(0).toString())).containsExactly("\\Flagged");
            assertThat(changes.flags().get(uids.get(1).toString())).containsExactlyInAnyOrder("\\Seen", "$Label1");
            assertThat(changes.expunged()).isEmpty();
            assertThat(reader.serverCursor().highestModSeq()).isGreaterThan(cursor.highestModSeq());
            assertThat(reader.next(10, Long.MAX_VALUE).isEmpty()).isTrue();
        }
    }

    @Test
    void reports_messages_another_client_deleted_with_qresync_even_in_the_middle_of_a_sync() {
        List<Long> uids = append("INBOX", 6);
        List<RawMessage> read = new ArrayList<>();
        SyncCursor cursor;
        try (SourceConnection connection = connect(); FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            read.addAll(reader.next(2, Long.MAX_VALUE).messages());
            // another client deletes one message already read and one not read yet
            dovecot.expunge(user, "INBOX", uids.get(0), uids.get(3));
            FolderBatch batch;
            while (!(batch = reader.next(2, Long.MAX_VALUE)).isEmpty()) {
                read.addAll(batch.messages());
            }
            cursor = new SyncCursor(batch.cursorAfter().validity(), batch.cursorAfter().lastUid(),
                    reader.serverCursor().highestModSeq());
        }
        assertThat(read).extracting(RawMessage::uid)
                .containsExactly(uids.get(0), uids.get(1), uids.get(2), uids.get(4), uids.get(5));
        assertThat(cursor.lastUid()).isEqualTo(uids.get(5));

        dovecot.expunge(user, "INBOX", uids.get(2));
        try (SourceConnection connection = connect(); FolderReader reader = connection.open("INBOX", cursor, ALL)) {
            assertThat(reader.changes().expunged()).contains(uids.get(2).toString())
                    .doesNotContain(uids.get(1).toString(), uids.get(4).toString(), uids.get(5).toString());
            assertThat(reader.changes().flags()).isEmpty();
        }
    }

    @Test
    void a_recreated_folder_has_a_new_uidvalidity_and_is_read_again_from_the_start() {
        dovecot.createFolder(user, "Lists");
        append("Lists", 2);
        SyncCursor cursor = sync("Lists", SyncCursor.START, new ArrayList<>());

        dovecot.recreateFolder(user, "Lists");
        List<Long> fresh = append("Lists", 1);

        try (SourceConnection connection = connect(); FolderReader reader = connection.open("Lists", cursor, ALL)) {
            assertThat(reader.serverCursor().validity()).isNotEqualTo(cursor.validity());
            assertThat(cursor.invalidatedBy(reader.serverCursor())).isTrue();
            FolderBatch batch = reader.next(10, Long.MAX_VALUE);
            assertThat(batch.messages()).extracting(RawMessage::uid).containsExactlyElementsOf(fresh);
            assertThat(batch.cursorAfter()).isEqualTo(new SyncCursor(reader.serverCursor().validity(), fresh.getLast(), 0));
            assertThat(reader.changes()).isEqualTo(FolderChanges.NONE);
        }
    }

    @Test
    void a_server_restart_in_the_middle_of_reading_fails_temporarily_and_the_next_sync_goes_on_from_the_cursor() {
        List<Long> uids = append("INBOX", 6);
        List<Long> read = new ArrayList<>();
        SyncCursor cursor;
        SourceConnection connection = connect();
        FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL);
        FolderBatch first = reader.next(2, Long.MAX_VALUE);
        first.messages().forEach(m -> read.add(m.uid()));
        cursor = first.cursorAfter();

        dovecot.restart();

        assertThatThrownBy(() -> reader.next(2, Long.MAX_VALUE)).isInstanceOf(TemporaryException.class);
        reader.close();
        connection.close();

        cursor = sync("INBOX", cursor, new ArrayList<>() {
            @Override
            public boolean addAll(java.util.Collection<? extends RawMessage> messages) {
                messages.forEach(m -> read.add(m.uid()));
                return true;
            }
        });
        assertThat(read).containsExactlyElementsOf(uids);
        assertThat(cursor.lastUid()).isEqualTo(uids.getLast());
    }

    @Test
    void a_25_mb_message_is_spooled_to_a_file_of_the_hosts_scratch_space_that_outlives_next_until_released() throws Exception {
        byte[] big = message("big", 25 << 20);
        long uid = dovecot.append(user, "INBOX", big);
        append("INBOX", 1);

        try (SourceConnection connection = connect()) {
            FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL);
            FolderBatch batch = reader.next(10, 1 << 20);

            assertThat(batch.messages()).hasSize(1);
            RawMessage message = batch.messages().getFirst();
            assertThat(message.uid()).isEqualTo(uid);
            Path file = message.content().file().orElseThrow();
            assertThat(file.getParent()).isEqualTo(spoolDir);
            assertThat(message.content().size()).isEqualTo(big.length);
            try (InputStream in = message.content().open()) {
                assertThat(sha256(in)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(big));
            }
            assertThat(reader.next(10, 1 << 20).messages()).hasSize(1).allSatisfy(m ->
                    assertThat(m.content().file()).isEmpty());
            assertThat(file).as("the host may read ahead: the content outlives next()").exists();
            assertThat(message.content().size()).isEqualTo(big.length);

            reader.close();
            assertThat(file).as("the host owns it, not the reader").exists();
            message.content().release();
            try (Stream<Path> left = Files.list(spoolDir)) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void post_actions_use_uid_move_and_are_idempotent() {
        List<Long> uids = append("INBOX", 3);
        long validity = dovecot.uidValidity(user, "INBOX");
        List<PostAction> actions = List.of(new PostAction.MarkSeen(uids.get(0).toString()),
                new PostAction.MoveTo(uids.get(0).toString(), "Archive/2026"),
                new PostAction.MarkSeen(uids.get(1).toString()),
                new PostAction.Delete(uids.get(2).toString()));

        try (SourceConnection connection = connect()) {
            connection.apply("INBOX", validity, actions);
            connection.apply("INBOX", validity, actions);
        }

        assertThat(dovecot.uids(user, "INBOX")).containsExactly(uids.get(1));
        assertThat(dovecot.flags(user, "INBOX", uids.get(1))).contains("\\Seen");
        List<Long> archived = dovecot.uids(user, "Archive/2026");
        assertThat(archived).hasSize(1);
        assertThat(dovecot.flags(user, "Archive/2026", archived.getFirst())).contains("\\Seen");
    }

    @Test
    void connects_with_ssl_and_with_starttls_when_the_certificate_is_trusted() throws Exception {
        SSLContext previous = SSLContext.getDefault();
        SSLContext.setDefault(dovecot.certificate().orElseThrow().trustingContext());
        try {
            for (var security : Map.of("ssl", dovecot.imapsPort(), "starttls", dovecot.imapPort()).entrySet()) {
                try (SourceConnection connection = source.connect(
                        account(security.getValue(), security.getKey(), Credential.password(user, "secret")), CONTEXT)) {
                    assertThat(connection.folders()).extracting(FolderInfo::name).as(security.getKey()).contains("INBOX");
                }
            }
        } finally {
            SSLContext.setDefault(previous);
        }
    }

    @Test
    void an_untrusted_certificate_is_a_permanent_failure() {
        assertThatThrownBy(() -> source.connect(
                account(dovecot.imapsPort(), "ssl", Credential.password(user, "secret")), CONTEXT))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("certificate");
    }

    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[65536];
        int n;
        while ((n = in.read(buffer)) != -1) {
            digest.update(buffer, 0, n);
        }
        return digest.digest();
    }
}
