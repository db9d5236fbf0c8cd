package io.mailroom.host.retention;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.SessionLock;
import io.mailroom.host.store.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention deletes exactly the messages received before the cutoff that nothing still needs,
 * the blobs nothing names any more, and old poll logs and skipped records, in batches, logging
 * the counts first; the statistics stay as they were, and a second run finds nothing.
 */
class HousekeepingTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Instant OLD = Instant.parse("2026-03-01T08:00:00Z");
    static final Instant RECENT = Instant.parse("2026-05-30T08:00:00Z");

    private static Database database;
    private static Jdbi jdbi;
    private long imap;
    private long pop;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeAll
    static void open() {
        database = TestDatabase.create();
        jdbi = database.jdbi();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void empty() {
        // one migrated database for the class; each test starts from empty tables
        jdbi.useHandle(h -> h.execute("TRUNCATE mailboxes, blobs, expired_keys CASCADE"));
        imap = mailbox("imap@example.com", "imap");
        pop = mailbox("pop@example.com", "pop3");
        log.start();
        ((Logger) LoggerFactory.getLogger(Housekeeping.class)).addAppender(log);
    }

    @AfterEach
    void detach() {
        ((Logger) LoggerFactory.getLogger(Housekeeping.class)).detachAppender(log);
    }

    Housekeeping housekeeping(int retentionDays, int housekeepingDays) {
        return new Housekeeping(jdbi, retentionDays, housekeepingDays,
                Clock.fixed(NOW, ZoneOffset.UTC), metrics, 2);
    }

    long mailbox(String email, String source) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO mailboxes (name, email, source) VALUES (:e, :e, :s)")
                .bind("e", email).bind("s", source).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    void blob(String hash) {
        jdbi.useHandle(h -> h.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, 3, '\\x616263')", hash));
    }

    long thread(long mailbox) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO threads (mailbox_id, message_count) VALUES (:m, 0)")
                .bind("m", mailbox).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    long message(long mailbox, long validity, String key, String hash, Instant receivedAt, Long thread, String direction) {
        return jdbi.withHandle(h -> {
            long id = h.createUpdate("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, size, "
                            + "received_at, thread_id, direction) VALUES (:m, 'INBOX', :v, :k, :h, 3, :at, :t, :d)")
                    .bind("m", mailbox).bind("v", validity).bind("k", key).bind("h", hash).bind("at", receivedAt)
                    .bind("t", thread).bind("d", direction).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            if (thread != null) {
                h.execute("UPDATE threads SET message_count = message_count + 1 WHERE id = ?", thread);
            }
            return id;
        });
    }

    long message(long mailbox, String key, String hash, Instant receivedAt) {
        return message(mailbox, 1, key, hash, receivedAt, null, "inbound");
    }

    void legacyAttachment(long message, String hash) {
        jdbi.useHandle(h -> h.execute("INSERT INTO attachments (message_id, index, content_type, size, sha256) "
                + "VALUES (?, 0, 'application/pdf', 3, ?)", message, hash));
    }

    void quarantined(long mailbox, String key, String hash, Instant at) {
        jdbi.useHandle(h -> h.execute("INSERT INTO quarantine (mailbox_id, folder, uid_validity, server_key, content_hash, "
                + "size, reason, received_at) VALUES (?, 'INBOX', 1, ?, ?, 3, 'unparseable', ?)", mailbox, key, hash, at));
    }

    void poll(long mailbox, String status, Instant at) {
        jdbi.useHandle(h -> h.execute("INSERT INTO polls (mailbox_id, status, started_at) VALUES (?, ?, ?)", mailbox, status, at));
    }

    void skipped(long mailbox, long validity, String key, Instant at) {
        jdbi.useHandle(h -> h.execute("INSERT INTO skipped (mailbox_id, folder, uid_validity, server_key, size, reason, "
                + "skipped_at) VALUES (?, 'INBOX', ?, ?, 3, 'too big', ?)", mailbox, validity, key, at));
    }

    List<String> strings(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    long scalar(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    List<Map<String, Object>> stats() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM mailbox_daily_counts ORDER BY mailbox_id, day").mapToMap().list());
    }

    @Test
    void old_messages_go_with_the_blobs_nothing_else_names_and_the_rest_stays() {
        for (String hash : List.of("a", "s", "q", "o", "f1", "f", "g1", "g", "h1", "k", "p", "q2")) {
            blob(hash);
        }
        long shared = thread(imap);
        long alone = thread(imap);
        message(imap, 1, "A", "a", OLD, shared, "inbound");                  // old: goes, with its blob
        message(imap, "B", "s", OLD);                                          // old: goes; its blob is C's too
        long c = message(imap, 1, "C", "s", RECENT, shared, "inbound");      // recent: stays
        message(imap, "D", "q", OLD);                                          // old: goes; its blob is quarantined too
        quarantined(imap, "Q1", "q", RECENT);
        long e = message(imap, 0, "E", "o", OLD, null, "outbound");           // old, but not sent yet: stays
        jdbi.useHandle(h -> h.execute("INSERT INTO outbox (message_id, mailbox_id, envelope_from, recipients) "
                + "VALUES (?, ?, 'imap@example.com', '{bob@example.com}')", e, imap));
        long f = message(imap, 1, "F", "f1", OLD, alone, "inbound");         // old: goes with its own attachment blob
        legacyAttachment(f, "f");
        long g = message(imap, "G", "g1", OLD);                                // old: goes; its attachment's blob is H's too
        legacyAttachment(g, "g");
        long hRow = message(imap, "H", "h1", RECENT);
        legacyAttachment(hRow, "g");
        long k = message(imap, "K", "k", OLD);                                 // old, but its processing chain has not run
        jdbi.useHandle(h -> h.execute("INSERT INTO processing_queue (message_id, mailbox_id) VALUES (?, ?)", k, imap));
        message(pop, 0, "uidl-1", "p", OLD, null, "inbound");                 // old, from a source without UIDs
        quarantined(imap, "Q2", "q2", OLD);                                    // quarantined long ago: goes
        poll(imap, "ok", Instant.parse("2026-01-01T00:00:00Z"));
        poll(imap, "running", Instant.parse("2026-01-01T00:00:00Z"));
        poll(imap, "ok", RECENT);
        skipped(imap, 1, "S1", Instant.parse("2026-01-01T00:00:00Z"));
        skipped(pop, 0, "uidl-9", Instant.parse("2026-01-01T00:00:00Z"));
        skipped(imap, 1, "S2", RECENT);
        List<Map<String, Object>> statsBefore = stats();

        HousekeepingReport report = housekeeping(30, 90).run().orElseThrow();

        assertThat(report.messages()).isEqualTo(6);
        assertThat(report.quarantined()).isEqualTo(1);
        assertThat(report.blobs()).isEqualTo(6);
        assertThat(report.threads()).as("the thread of F alone").isEqualTo(1);
        assertThat(report.polls()).isEqualTo(1);
        assertThat(report.skipped()).isEqualTo(2);
        assertThat(report.batches()).as("at most two rows a transaction").isGreaterThanOrEqualTo(6);
        assertThat(strings("SELECT server_key FROM messages ORDER BY server_key")).containsExactly("C", "E", "H", "K");
        assertThat(strings("SELECT sha256 FROM blobs ORDER BY sha256")).containsExactly("g", "h1", "k", "o", "q", "s");
        assertThat(strings("SELECT server_key FROM quarantine")).containsExactly("Q1");
        assertThat(scalar("SELECT count(*) FROM attachments")).isEqualTo(1);
        assertThat(strings("SELECT id || ':' || message_count FROM threads")).containsExactly(shared + ":1");
        assertThat(strings("SELECT status FROM polls ORDER BY status")).containsExactly("ok", "running");
        assertThat(strings("SELECT server_key FROM skipped")).containsExactly("S2");
        assertThat(jdbi.onDemand(MessageDao.class).keysAt(pop, "INBOX", 0, new String[]{"uidl-1", "uidl-9", "uidl-2"}))
                .as("a POP3 message deleted here, still on its server, is not read again")
                .containsExactlyInAnyOrder("uidl-1", "uidl-9");
        assertThat(c).isPositive();
        assertThat(stats()).as("statistics are kept").isEqualTo(statsBefore);
        assertThat(metrics.get("mailroom.retention.deleted").tag("kind", "messages").counter().count()).isEqualTo(6);
        assertThat(metrics.get("mailroom.retention.deleted").tag("kind", "blobs").counter().count()).isEqualTo(6);

        List<String> lines = log.list.stream().filter(event -> event.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("Housekeeping will delete 6 message(s), 1 quarantined message(s), 6 blob(s)")
                .contains("1 poll log(s), 2 skipped record(s)").contains("2026-05-02T12:00:00Z");
        assertThat(lines.get(1)).startsWith("Housekeeping deleted 6 message(s), 1 quarantined message(s), 6 blob(s)");

        HousekeepingReport again = housekeeping(30, 90).run().orElseThrow();
        assertThat(List.of(again.messages(), again.quarantined(), again.blobs(), again.polls(), again.skipped()))
                .as("a second run finds nothing").containsOnly(0L);
        assertThat(strings("SELECT server_key FROM messages ORDER BY server_key")).containsExactly("C", "E", "H", "K");
    }

    @Test
    void with_retention_off_messages_stay_and_only_logs_and_skipped_records_are_trimmed() {
        blob("a");
        message(imap, "A", "a", Instant.parse("2020-01-01T00:00:00Z"));
        poll(imap, "ok", Instant.parse("2026-01-01T00:00:00Z"));
        skipped(imap, 1, "S1", Instant.parse("2026-01-01T00:00:00Z"));

        HousekeepingReport report = housekeeping(0, 90).run().orElseThrow();

        assertThat(report.messagesBefore()).isNull();
        assertThat(List.of(report.messages(), report.blobs(), report.polls(), report.skipped())).containsExactly(0L, 0L, 1L, 1L);
        assertThat(scalar("SELECT count(*) FROM messages")).isEqualTo(1);
        assertThat(scalar("SELECT count(*) FROM blobs")).isEqualTo(1);

        assertThat(housekeeping(0, 0).run().orElseThrow()).as("nothing expires").isEqualTo(HousekeepingReport.NOTHING);
    }

    @Test
    void a_second_run_while_one_holds_the_lock_does_not_start() throws Exception {
        try (SessionLock held = SessionLock.tryTake(jdbi, Housekeeping.LOCK_NAMESPACE, Housekeeping.LOCK_KEY, "the lock")
                .orElseThrow()) {
            assertThat(housekeeping(30, 90).run()).isEmpty();
        }
        assertThat(housekeeping(30, 90).run()).isPresent();
    }
}
