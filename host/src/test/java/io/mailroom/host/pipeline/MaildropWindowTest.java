package io.mailroom.host.pipeline;

import io.mailroom.host.mailboxes.FolderState;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.PollDao;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source whose server keeps no dates (POP3) hands over mail of any age with no internal date;
 * the host applies the first-sync window by the date it parses, and remembers what it left out
 * so that it is not read again. On a real PostgreSQL, with a maildrop held in memory.
 */
class MaildropWindowTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private MaildropSync sync;
    private Jdbi jdbi;
    private FolderSync folderSync;
    private final Maildrop maildrop = new Maildrop();

    @BeforeEach
    void start() {
        sync = new MaildropSync(NOW);
        jdbi = sync.jdbi;
        folderSync = sync.folderSync;
    }

    @AfterEach
    void close() {
        sync.close();
    }

    private Mailbox mailbox(Integer firstSyncDays) {
        long id = jdbi.onDemand(MailboxDao.class).insert(new Mailbox(0, null, "Drop", "drop@example.com", "pop3",
                "password", "{}", List.of("INBOX"), firstSyncDays, 500, false, false, null, true, "active", null,
                null, null, 0, null, 0, false));
        return jdbi.onDemand(MailboxDao.class).find(id).orElseThrow();
    }

    private SyncCounts run(Mailbox mailbox) {
        long pollId = jdbi.onDemand(PollDao.class).start(mailbox.id());
        SyncCounts counts = SyncCounts.NONE;
        for (FolderState folder : new FolderList(jdbi).refresh(maildrop, mailbox.id())) {
            counts = counts.plus(folderSync.sync(maildrop, mailbox, folder, pollId));
        }
        return counts;
    }

    private List<String> strings(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }

    private static String dated(String id, Instant date) {
        return "Message-ID: <" + id + ">\r\nFrom: ann@example.com\r\nTo: drop@example.com\r\nSubject: " + id + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC)) + "\r\n"
                + "\r\nbody of " + id + "\r\n";
    }

    @Test
    void an_old_message_outside_the_window_is_not_stored_nor_read_again_while_a_recent_and_an_undated_one_are() {
        maildrop.add("old", dated("old@x", NOW.minus(java.time.Duration.ofDays(400))));
        maildrop.add("recent", dated("recent@x", NOW.minus(java.time.Duration.ofDays(3))));
        maildrop.add("undated", "Message-ID: <undated@x>\r\nSubject: no date\r\n\r\nundated\r\n");
        Mailbox mailbox = mailbox(365);

        SyncCounts first = run(mailbox);
        SyncCounts second = run(mailbox);

        assertThat(first).isEqualTo(new SyncCounts(3, 2, 1, 0));
        assertThat(strings("SELECT server_key FROM messages ORDER BY server_key")).containsExactly("recent", "undated");
        assertThat(strings("SELECT server_key FROM skipped")).containsExactly("old");
        assertThat(strings("SELECT reason FROM skipped").getFirst()).contains("before the first-sync window");
        // its bytes were never written: the old mail leaves nothing behind
        assertThat(strings("SELECT sha256 FROM blobs")).hasSize(2);
        assertThat(maildrop.handedOver).containsExactly("old", "recent", "undated");
        assertThat(second.found()).isZero();
        // a server without dates is told the dates the host parsed (server_copy delete_after_days)
        assertThat(new StoredKeys(jdbi, mailbox.id(), "INBOX").sentAmong(List.of("old", "recent", "nothing")))
                .containsOnlyKeys("recent").containsEntry("recent", NOW.minus(java.time.Duration.ofDays(3)));
    }

    @Test
    void without_a_window_all_mail_of_a_source_without_dates_is_stored_dated_by_itself() {
        maildrop.add("old", dated("old@x", NOW.minus(java.time.Duration.ofDays(400))));
        Mailbox mailbox = mailbox(null);

        assertThat(run(mailbox)).isEqualTo(new SyncCounts(1, 1, 0, 0));
        assertThat(strings("SELECT received_at::text FROM messages")).singleElement().asString().startsWith("2025-10-25");
    }
}
