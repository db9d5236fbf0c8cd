package io.mailroom.host.pipeline;

import io.mailroom.api.source.FolderReader.FolderBatch;
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

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.mailroom.host.pipeline.Mails.mail;
import static io.mailroom.host.pipeline.Mails.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Hostile mail through the real batch commit and PostgreSQL: values that end up in an index are
 * bounded where they are parsed, so a message with a 1 MB subject or message id is stored (it was
 * quarantined with "index row requires 11480 bytes, maximum size is 8191"), and malformed
 * messages among ordinary ones are all stored in one batch.
 */
class HostileMailIngestTest {

    private Database database;
    private Jdbi jdbi;
    private Mailbox mailbox;
    private long pollId;
    private ExecutorService parsers;
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
        parsers = Executors.newFixedThreadPool(2);
        batches = TestBatchCommit.of(jdbi, new MessageParser(25 * 1024 * 1024), Clock.systemUTC(),
                parsers, 50L * 1024 * 1024, new SyncStages(new SimpleMeterRegistry()));
    }

    @AfterEach
    void close() {
        parsers.shutdownNow();
        database.close();
    }

    private long scalar(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void a_message_with_a_one_megabyte_subject_is_stored_with_its_indexed_values_cut() {
        String huge = "Invoice " + "ä".repeat(512 * 1024);
        FolderBatch batch = new FolderBatch(List.of(
                raw(1, mail("huge@x", null, "ann@example.com", "support@example.com", huge, "one")),
                raw(2, mail("é".repeat(2000) + "@x", "ü".repeat(3000) + "@x", "bob@example.com",
                        "support@example.com", "Re: " + huge, "two"))),
                new SyncCursor(7, 2, 0));

        SyncCounts counts = batches.commit(mailbox, "INBOX", batch, pollId);

        assertThat(counts).isEqualTo(new SyncCounts(2, 2, 0, 0));
        assertThat(scalar("SELECT count(*) FROM quarantine")).isZero();
        assertThat(scalar("SELECT max(length(subject_key)) FROM threads")).isLessThanOrEqualTo(256);
        assertThat(scalar("SELECT max(length(subject)) FROM messages")).isLessThanOrEqualTo(8 * 1024);
        assertThat(scalar("SELECT count(*) FROM messages WHERE message_id IS NULL AND in_reply_to IS NULL")).isEqualTo(1);
        assertThat(scalar("SELECT count(DISTINCT thread_id) FROM messages")).as("joined by the cut subject key").isEqualTo(1);
        assertThat(scalar("SELECT max(size) FROM messages")).as("the raw size is the whole message")
                .isGreaterThan(1024 * 1024);
    }

    @Test
    void a_dozen_malformed_messages_among_ordinary_ones_are_stored_in_one_batch() {
        List<byte[]> hostile = io.mailroom.host.mime.HostileMail.dozen();
        List<io.mailroom.api.source.RawMessage> messages = new java.util.ArrayList<>();
        long uid = 1;
        for (byte[] mail : hostile) {
            messages.add(raw(uid, mail("ok" + uid + "@x", null, "ann@example.com", "support@example.com", "ordinary", "hi")));
            uid++;
            messages.add(new io.mailroom.api.source.RawMessage(Long.toString(uid), uid,
                    java.time.Instant.parse("2026-11-16T10:00:05Z"), java.util.Set.of(),
                    io.mailroom.api.source.RawContent.of(mail)));
            uid++;
        }
        FolderBatch batch = new FolderBatch(messages, new SyncCursor(7, uid - 1, 0));

        SyncCounts counts = assertTimeoutPreemptively(Duration.ofSeconds(120),
                () -> batches.commit(mailbox, "INBOX", batch, pollId));

        assertThat(counts.found()).isEqualTo(messages.size());
        assertThat(counts.stored() + counts.quarantined()).isEqualTo(messages.size());
        assertThat(counts.quarantined()).isZero();
    }
}
