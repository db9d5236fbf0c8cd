package io.mailroom.host.pipeline;

import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.RawContent;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.store.Database;
import io.mailroom.host.mailboxes.FolderDao;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.store.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

import static io.mailroom.host.pipeline.Mails.mail;
import static io.mailroom.host.pipeline.Mails.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchCommitTest {

    private Database database;
    private Jdbi jdbi;
    private Mailbox mailbox;
    private long pollId;
    private BatchCommit batches;

    @BeforeEach
    void mailbox() {
        database = TestDatabase.create();
        jdbi = database.jdbi();
        long id = jdbi.onDemand(MailboxDao.class).insert(new Mailbox(0, null, "Support", "support@example.com", "imap",
                "password", "{}", List.of("INBOX"), 365, 500, false, false, null, true, "active", null, null, null, 0,
                null, 0, false));
        mailbox = jdbi.onDemand(MailboxDao.class).find(id).orElseThrow();
        jdbi.onDemand(FolderDao.class).upsert(id, "INBOX", new String[0], 3);
        pollId = jdbi.onDemand(io.mailroom.host.mailboxes.PollDao.class).start(id);
        batches = TestBatchCommit.of(jdbi, new MessageParser(25 * 1024 * 1024), Clock.systemUTC(),
                Executors.newFixedThreadPool(2), 1024 * 1024, new SyncStages(new SimpleMeterRegistry()));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private long scalar(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private List<String> strings(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }

    private List<Long> longs(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).list());
    }

    private long count(String table) {
        return scalar("SELECT count(*) FROM " + table);
    }

    private SyncCursor cursor() {
        return jdbi.onDemand(FolderDao.class).find(mailbox.id(), "INBOX").orElseThrow().cursor();
    }

    @Test
    void a_batch_is_stored_with_its_cursor_and_a_second_delivery_stores_nothing() {
        FolderBatch batch = new FolderBatch(List.of(
                raw(1, mail("a@x", null, "ann@example.com", "support@example.com", "Help", "one")),
                raw(2, mail("b@x", null, "bob@example.com", "support@example.com", "Hi", "two"))),
                new SyncCursor(7, 2, 0));

        SyncCounts first = batches.commit(mailbox, "INBOX", batch, pollId);
        SyncCounts again = batches.commit(mailbox, "INBOX", batch, pollId);

        assertThat(first).isEqualTo(new SyncCounts(2, 2, 0, 0));
        assertThat(again).isEqualTo(new SyncCounts(2, 0, 2, 0));
        assertThat(count("messages")).isEqualTo(2);
        assertThat(cursor()).isEqualTo(new SyncCursor(7, 2, 0));
    }

    @Test
    void a_failure_in_the_middle_of_a_batch_keeps_neither_messages_nor_cursor() {
        RawMessage unreadable = new RawMessage("3", 3, null, Set.of(), new RawContent() {
            @Override
            public long size() {
                return 10;
            }

            @Override
            public InputStream open() throws IOException {
                throw new IOException("connection reset while reading");
            }
        });
        FolderBatch batch = new FolderBatch(List.of(
                raw(1, mail("a@x", null, "ann@example.com", "support@example.com", "Help", "one")),
                raw(2, mail("b@x", null, "bob@example.com", "support@example.com", "Hi", "two")), unreadable),
                new SyncCursor(7, 3, 0));

        assertThatThrownBy(() -> batches.commit(mailbox, "INBOX", batch, pollId)).hasMessageContaining("connection reset");

        assertThat(count("messages")).isZero();
        assertThat(cursor().lastUid()).isZero();
    }

    @Test
    void a_run_whose_lock_was_lost_writes_nothing_more_and_the_run_that_took_the_mailbox_goes_on() {
        FolderBatch first = new FolderBatch(List.of(
                raw(1, mail("a@x", null, "ann@example.com", "support@example.com", "Help", "one"))), new SyncCursor(7, 1, 0));
        FolderBatch second = new FolderBatch(List.of(
                raw(2, mail("b@x", null, "bob@example.com", "support@example.com", "Hi", "two"))), new SyncCursor(7, 2, 0));
        try (SyncLock lost = SyncLock.acquire(jdbi, mailbox.id())) {
            assertThat(batches.commit(mailbox, "INBOX", first, pollId, null, lost)).isEqualTo(new SyncCounts(1, 1, 0, 0));
            // the lock's connection dies (as in a restart of PostgreSQL) while the run goes on
            LockConnections.drop(jdbi, mailbox.id());
            try (SyncLock taken = SyncLock.acquire(jdbi, mailbox.id())) {

                assertThatThrownBy(() -> batches.commit(mailbox, "INBOX", second, pollId, null, lost))
                        .isInstanceOf(SyncLock.SyncLockLost.class)
                        .hasMessageContaining("the database failed: the connection holding the sync lock");
                assertThat(count("messages")).isEqualTo(1);
                assertThat(count("quarantine")).isZero();
                assertThat(cursor().lastUid()).isEqualTo(1);

                assertThat(batches.commit(mailbox, "INBOX", second, pollId, null, taken)).isEqualTo(new SyncCounts(1, 1, 0, 0));
                assertThat(cursor().lastUid()).isEqualTo(2);
            }
        }
    }

    @Test
    void a_message_another_run_stored_meanwhile_counts_as_known_and_is_not_quarantined() {
        RawMessage raw = raw(1, mail("a@x", null, "ann@example.com", "support@example.com", "Help", "one"));
        batches.commit(mailbox, "INBOX", new FolderBatch(List.of(raw), new SyncCursor(7, 1, 0)), pollId);
        IngestMessage ingest = TestBatchCommit.ingest(new MessageParser(1024 * 1024), Clock.systemUTC());

        // this run looked before the other stored it: it writes the same place again
        try (PreparedMessage late = PreparedMessage.of(raw, ContentHash.of(raw.content()), ingest)) {
            SyncCounts counts = jdbi.inTransaction(handle -> batches.storeCarefully(handle, mailbox, "INBOX", 7,
                    new BatchCommit.Fresh(late, false)));

            assertThat(counts).isEqualTo(new SyncCounts(1, 0, 1, 0));
        }
        assertThat(count("messages")).isEqualTo(1);
        assertThat(count("quarantine")).isZero();
    }

    @Test
    void a_message_that_cannot_be_parsed_is_quarantined_with_its_bytes_and_the_batch_goes_on() {
        FolderBatch batch = new FolderBatch(List.of(
                raw(1, mail("a@x", null, "ann@example.com", "support@example.com", "Help", "one")),
                raw(2, ""),
                raw(3, mail("c@x", null, "cid@example.com", "support@example.com", "Hello", "three"))),
                new SyncCursor(7, 3, 0));

        SyncCounts counts = batches.commit(mailbox, "INBOX", batch, pollId);

        assertThat(counts).isEqualTo(new SyncCounts(3, 2, 0, 1));
        assertThat(count("quarantine")).isEqualTo(1);
        assertThat(scalar("SELECT b.size FROM quarantine q JOIN blobs b ON b.sha256 = q.content_hash")).isZero();
        assertThat(cursor().lastUid()).isEqualTo(3);
    }

    @Test
    void the_same_bytes_under_a_new_uidvalidity_are_the_same_message() {
        String one = mail("a@x", null, "ann@example.com", "support@example.com", "Help", "one");
        batches.commit(mailbox, "INBOX", new FolderBatch(List.of(raw(1, one)), new SyncCursor(7, 1, 0)), pollId);

        SyncCounts counts = batches.commit(mailbox, "INBOX", new FolderBatch(List.of(raw(40, one)), new SyncCursor(8, 40, 0)),
                pollId);

        assertThat(counts).isEqualTo(new SyncCounts(1, 0, 1, 0));
        assertThat(scalar("SELECT uid_validity FROM messages")).isEqualTo(8);
        assertThat(scalar("SELECT uid FROM messages")).isEqualTo(40);
    }

    @Test
    void messages_without_message_id_or_sharing_one_are_kept_apart_by_place() {
        String first = mail("same@x", null, "ann@example.com", "support@example.com", "One", "first body");
        String second = mail("same@x", null, "ann@example.com", "support@example.com", "Two", "second body");
        String noId = mail("x", null, "ann@example.com", "support@example.com", "Three", "third").replace("Message-ID: <x>\r\n", "");

        SyncCounts counts = batches.commit(mailbox, "INBOX", new FolderBatch(List.of(raw(1, first), raw(2, second),
                raw(3, noId), raw(4, noId)), new SyncCursor(7, 4, 0)), pollId);

        assertThat(counts.stored()).isEqualTo(4);
        assertThat(counts.skipped()).isZero();
        assertThat(count("blobs")).isEqualTo(3);
    }

    @Test
    void replies_join_their_thread_even_when_they_arrive_first() {
        String parent = mail("parent@x", null, "ann@example.com", "support@example.com", "Printer broken", "it is");
        String reply = mail("reply@x", "parent@x", "support@example.com", "ann@example.com", "Re: Printer broken", "try this");
        String unrelated = mail("other@x", null, "zed@example.com", "support@example.com", "Invoice", "pay");

        batches.commit(mailbox, "INBOX", new FolderBatch(List.of(raw(1, reply), raw(2, unrelated), raw(3, parent)),
                new SyncCursor(7, 3, 0)), pollId);

        List<Long> threads = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT thread_id FROM messages ORDER BY uid").mapTo(Long.class).list());
        assertThat(threads.get(0)).isEqualTo(threads.get(2)).isNotEqualTo(threads.get(1));
    }

    @Test
    void a_reply_without_references_joins_by_subject_and_participant() {
        String first = mail("first@x", null, "ann@example.com", "support@example.com", "[EXT] Printer broken", "it is");
        String later = mail("later@x", null, "ann@example.com", "support@example.com", "AW: RE: Printer broken", "still");
        String stranger = mail("stranger@x", null, "zed@example.org", "sales@example.org", "Re: Printer broken", "mine too");

        batches.commit(mailbox, "INBOX", new FolderBatch(List.of(raw(1, first), raw(2, later), raw(3, stranger)),
                new SyncCursor(7, 3, 0)), pollId);

        List<Long> threads = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT thread_id FROM messages ORDER BY uid").mapTo(Long.class).list());
        assertThat(threads.get(0)).isEqualTo(threads.get(1)).isNotEqualTo(threads.get(2));
        assertThat(scalar("SELECT message_count FROM threads WHERE id = " + threads.get(0))).isEqualTo(2);
    }

    private RawMessage keyed(String key, String mail) {
        return new RawMessage(key, 0, java.time.Instant.parse("2026-11-16T10:00:05Z"), Set.of(),
                RawContent.of(mail.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void the_same_bytes_in_two_folders_are_two_rows_sharing_one_blob_and_one_thread() {
        jdbi.onDemand(FolderDao.class).upsert(mailbox.id(), "Archive", new String[0], 1);
        String one = mail("a@x", null, "ann@example.com", "support@example.com", "", "one");

        batches.commit(mailbox, "INBOX", new FolderBatch(List.of(raw(1, one)), new SyncCursor(7, 1, 0)), pollId);
        SyncCounts archive = batches.commit(mailbox, "Archive", new FolderBatch(List.of(raw(5, one)),
                new SyncCursor(9, 5, 0)), pollId);

        assertThat(archive).isEqualTo(new SyncCounts(1, 1, 0, 0));
        assertThat(strings("SELECT folder FROM messages ORDER BY folder")).containsExactly("Archive", "INBOX");
        assertThat(scalar("SELECT count(DISTINCT content_hash) FROM messages")).isEqualTo(1);
        assertThat(count("blobs")).isEqualTo(1);
        assertThat(scalar("SELECT count(DISTINCT thread_id) FROM messages")).isEqualTo(1);
    }

    @Test
    void two_keys_with_identical_bytes_are_two_stable_rows_known_on_the_next_read() {
        String same = mail("dup@x", null, "ann@example.com", "support@example.com", "Twice", "same bytes");
        FolderBatch listing = new FolderBatch(List.of(keyed("uidl-1", same), keyed("uidl-2", same)), SyncCursor.START);

        SyncCounts first = batches.commit(mailbox, "INBOX", listing, pollId);
        SyncCounts second = batches.commit(mailbox, "INBOX", listing, pollId);

        assertThat(first).isEqualTo(new SyncCounts(2, 2, 0, 0));
        assertThat(second).isEqualTo(new SyncCounts(2, 0, 2, 0));
        assertThat(strings("SELECT server_key FROM messages ORDER BY server_key")).containsExactly("uidl-1", "uidl-2");
        assertThat(new StoredKeys(jdbi, mailbox.id(), "INBOX").knownAmong(List.of("uidl-1", "uidl-2", "uidl-3")))
                .containsExactlyInAnyOrder("uidl-1", "uidl-2");
    }

    @Test
    void the_same_bytes_whose_old_place_is_gone_are_the_message_moved() {
        jdbi.onDemand(FolderDao.class).upsert(mailbox.id(), "Archive", new String[0], 1);
        String one = mail("a@x", null, "ann@example.com", "support@example.com", "Moved", "one");
        batches.commit(mailbox, "INBOX", new FolderBatch(List.of(raw(1, one)), new SyncCursor(7, 1, 0)), pollId);
        jdbi.onDemand(io.mailroom.host.messages.MessageDao.class).markDeletedOnServer(mailbox.id(), "INBOX", 7,
                new String[]{"1"});

        SyncCounts counts = batches.commit(mailbox, "Archive", new FolderBatch(List.of(raw(3, one)),
                new SyncCursor(9, 3, 0)), pollId);

        assertThat(counts).isEqualTo(new SyncCounts(1, 0, 1, 0));
        assertThat(count("messages")).isEqualTo(1);
        assertThat(strings("SELECT folder FROM messages").getFirst())
                .isEqualTo("Archive");
    }

    @Test
    void a_message_whose_bytes_cannot_be_written_is_quarantined_alone_and_the_batch_is_stored() {
        // A real PostgreSQL refusal of one message's write: a trigger that rejects bytes with a marker.
        jdbi.useHandle(handle -> {
            handle.execute("""
                    CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN
                      IF position(convert_to('POISON', 'UTF8') in NEW.content) > 0 THEN
                        RAISE EXCEPTION 'this content is refused';
                      END IF;
                      RETURN NEW;
                    END $$ LANGUAGE plpgsql""");
            handle.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON blobs FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
        });
        FolderBatch batch = new FolderBatch(List.of(
                raw(1, mail("a@x", null, "ann@example.com", "support@example.com", "Help", "one")),
                raw(2, mail("b@x", null, "bob@example.com", "support@example.com", "Bad", "POISON")),
                raw(3, mail("c@x", null, "cid@example.com", "support@example.com", "Hello", "three"))),
                new SyncCursor(7, 3, 0));

        SyncCounts counts = batches.commit(mailbox, "INBOX", batch, pollId);

        assertThat(counts).isEqualTo(new SyncCounts(3, 2, 0, 1));
        assertThat(longs("SELECT uid FROM messages ORDER BY uid")).containsExactly(1L, 3L);
        assertThat(strings("SELECT reason FROM quarantine WHERE server_key = '2'").getFirst()).contains("this content is refused");
        assertThat(cursor().lastUid()).isEqualTo(3);
    }

    @Test
    void a_message_bigger_than_the_limit_is_skipped_with_the_reason_and_the_cursor_moves_past_it() {
        String big = mail("big@x", null, "ann@example.com", "support@example.com", "Big", "x".repeat(1024 * 1024));
        FolderBatch batch = new FolderBatch(List.of(
                raw(1, mail("a@x", null, "ann@example.com", "support@example.com", "Help", "one")),
                raw(2, big)), new SyncCursor(7, 2, 0));

        SyncCounts counts = batches.commit(mailbox, "INBOX", batch, pollId);
        SyncCounts again = batches.commit(mailbox, "INBOX", batch, pollId);

        assertThat(counts).isEqualTo(new SyncCounts(2, 1, 1, 0));
        assertThat(again.stored()).isZero();
        assertThat(count("messages")).isEqualTo(1);
        assertThat(strings("SELECT reason FROM skipped WHERE server_key = '2'").getFirst()).contains("bigger than the limit of 1048576 bytes");
        assertThat(strings("SELECT array_to_string(events, ' | ') FROM polls WHERE id = " + pollId).getFirst()).contains("bigger than the limit");
        assertThat(cursor().lastUid()).isEqualTo(2);
    }

    @Test
    void a_batch_is_written_with_one_statement_per_table() {
        // A statement-level trigger counts the INSERT statements each table receives.
        jdbi.useHandle(handle -> {
            handle.execute("CREATE TABLE statements (name TEXT)");
            handle.execute("""
                    CREATE FUNCTION count_statement() RETURNS trigger AS $$ BEGIN
                      INSERT INTO statements VALUES (TG_TABLE_NAME); RETURN NULL;
                    END $$ LANGUAGE plpgsql""");
            for (String table : List.of("messages", "attachments", "threads", "processing_queue")) {
                handle.execute("CREATE TRIGGER count_" + table + " AFTER INSERT ON " + table
                        + " FOR EACH STATEMENT EXECUTE FUNCTION count_statement()");
            }
            handle.execute("UPDATE mailboxes SET mark_as_read = true");
        });
        Mailbox marking = jdbi.onDemand(MailboxDao.class).find(mailbox.id()).orElseThrow();
        String attached = """
                Message-ID: <att@x>\r
                From: dora@example.com\r
                To: support@example.com\r
                Subject: Scan\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary=b\r
                \r
                --b\r
                Content-Type: text/plain\r
                \r
                see attached\r
                --b\r
                Content-Type: application/pdf\r
                Content-Disposition: attachment; filename=a.pdf\r
                \r
                %PDF-1\r
                --b--\r
                """;
        FolderBatch batch = new FolderBatch(List.of(
                raw(1, mail("a@x", null, "ann@example.com", "support@example.com", "Help", "one")),
                raw(2, mail("b@x", "a@x", "support@example.com", "ann@example.com", "Re: Help", "two")),
                raw(3, mail("c@x", null, "cid@example.com", "support@example.com", "Other", "three")),
                raw(4, attached)), new SyncCursor(7, 4, 0));

        assertThat(batches.commit(marking, "INBOX", batch, pollId)).isEqualTo(new SyncCounts(4, 4, 0, 0));

        assertThat(strings("SELECT name || ' ' || count(*) FROM statements GROUP BY name ORDER BY name"))
                .containsExactly("attachments 1", "messages 1", "processing_queue 1", "threads 1");
        assertThat(count("attachments")).isEqualTo(1);
        assertThat(count("processing_queue")).as("each new message waits for its chain").isEqualTo(4);
        assertThat(count("pending_actions")).as("server actions are the chain's to decide, after the commit").isZero();
        assertThat(count("threads")).isEqualTo(3);
    }

    @Test
    void an_attachment_is_not_written_a_second_time_its_row_says_where_it_is_in_the_raw_message() {
        String attached = """
                Message-ID: <scan@x>\r
                From: dora@example.com\r
                Subject: Scan\r
                Content-Type: multipart/mixed; boundary=b\r
                \r
                --b\r
                Content-Type: text/plain\r
                \r
                see attached\r
                --b\r
                Content-Type: application/pdf; name=scan.pdf\r
                Content-Transfer-Encoding: base64\r
                \r
                JVBERi0xLjQKc2Nhbm5lZAo=\r
                --b--\r
                """;

        batches.commit(mailbox, "INBOX", new FolderBatch(List.of(raw(1, attached)), new SyncCursor(7, 1, 0)), pollId);

        assertThat(count("blobs")).as("the raw message only").isEqualTo(1);
        assertThat(strings("SELECT part || ' ' || size || ' ' || sha256 FROM attachments")).containsExactly(
                "2 17 " + java.util.HexFormat.of().formatHex(sha256("%PDF-1.4\nscanned\n")));
        assertThat(scalar("SELECT count(*) FROM attachments a JOIN messages m ON m.id = a.message_id "
                + "JOIN blobs b ON b.sha256 = m.content_hash")).isEqualTo(1);
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_batch_counts_its_messages_once_in_a_thread_stored_before() {
        batches.commit(mailbox, "INBOX", new FolderBatch(List.of(
                raw(1, mail("p@x", null, "ann@example.com", "support@example.com", "Printer broken", "it is"))),
                new SyncCursor(7, 1, 0)), pollId);

        batches.commit(mailbox, "INBOX", new FolderBatch(List.of(
                raw(2, mail("r1@x", "p@x", "support@example.com", "ann@example.com", "Re: Printer broken", "try")),
                raw(3, mail("r2@x", null, "ann@example.com", "bob@example.com", "Re: Printer broken", "no")),
                raw(4, mail("r3@x", "r2@x", "bob@example.com", "ann@example.com", "Re: Printer broken", "ok"))),
                new SyncCursor(7, 4, 0)), pollId);

        assertThat(scalar("SELECT count(DISTINCT thread_id) FROM messages")).isEqualTo(1);
        assertThat(count("threads")).isEqualTo(1);
        assertThat(scalar("SELECT message_count FROM threads")).isEqualTo(4);
        assertThat(strings("SELECT array_to_string(participants, ',') FROM threads"))
                .containsExactly("ann@example.com,bob@example.com,support@example.com");
    }
}
