package io.mailroom.host.pipeline;

import io.mailroom.api.PermanentException;
import io.mailroom.host.mailboxes.FolderState;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.store.Database;
import io.mailroom.host.mailboxes.FolderDao;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.PollDao;
import io.mailroom.host.store.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.mailroom.host.pipeline.Mails.mail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Folder syncs and server actions against a server held in memory, on a real PostgreSQL. */
class FolderSyncTest {

    private Database database;
    private Jdbi jdbi;
    private final ScriptedServer server = new ScriptedServer();
    private final AtomicBoolean paused = new AtomicBoolean();
    private Instant now = Instant.parse("2026-11-29T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private PostActionRunner postActions;
    private ProcessingChain chain;
    private FolderSync folderSync;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SyncStages stages = new SyncStages(registry);

    @BeforeEach
    void start() {
        database = TestDatabase.create();
        jdbi = database.jdbi();
        postActions = new PostActionRunner(jdbi, clock);
        chain = new TestChain().chain(jdbi, clock, mailboxId -> List.of());
        folderSync = new FolderSync(jdbi, TestBatchCommit.of(jdbi, new MessageParser(1 << 20), clock,
                Executors.newFixedThreadPool(2), 1 << 20, stages), postActions, paused::get, clock, 1 << 20, stages);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private Mailbox mailbox(int maxPerPoll, String moveTo) {
        return mailbox(maxPerPoll, moveTo, 365);
    }

    private Mailbox mailbox(int maxPerPoll, String moveTo, Integer firstSyncDays) {
        long id = jdbi.onDemand(MailboxDao.class).insert(new Mailbox(0, null, "Support", "support@example.com", "imap",
                "password", "{}", List.of("INBOX"), firstSyncDays, maxPerPoll, false, false, moveTo, true, "active", null,
                null, null, 0, null, 0, false));
        return jdbi.onDemand(MailboxDao.class).find(id).orElseThrow();
    }

    /**
     * One run as MailboxSync does it: folder list, pending server actions, each folder, then the
     * processing chains of what it stored and the server actions they decided.
     */
    private long run(Mailbox mailbox) {
        long pollId = jdbi.onDemand(PollDao.class).start(mailbox.id());
        for (FolderState folder : new FolderList(jdbi).refresh(server, mailbox.id())) {
            postActions.run(server, mailbox.id(), pollId);
            folderSync.sync(server, mailbox, folder, pollId);
        }
        chain.drain(mailbox.id(), Duration.ofSeconds(30));
        postActions.run(server, mailbox.id(), pollId);
        return pollId;
    }

    private List<String> strings(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }

    /** The server's INBOX (UIDVALIDITY 7) holding {@code messages} numbered messages. */
    private ScriptedServer.Folder inbox(int messages) {
        ScriptedServer.Folder inbox = server.folder("INBOX", 7);
        for (int n = 1; n <= messages; n++) {
            inbox.append(numbered(n));
        }
        return inbox;
    }

    private static String numbered(int n) {
        return mail("m" + n + "@x", null, "ann@example.com", "support@example.com", "Message " + n, "body " + n);
    }

    private long stored(Mailbox mailbox) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM messages WHERE mailbox_id = :id")
                .bind("id", mailbox.id()).mapTo(Long.class).one());
    }

    @Test
    void first_sync_days_null_takes_all_mail_with_no_window_while_0_takes_nothing_older_than_now() {
        inbox(3); // arrived 13 days before the clock's now
        Mailbox allMail = mailbox(500, null, null);
        Mailbox fromNow = mailbox(500, null, 0);

        run(allMail);
        assertThat(server.lastOptions.notBefore()).isNull();
        run(fromNow);
        assertThat(server.lastOptions.notBefore()).isEqualTo(now);

        assertThat(stored(allMail)).isEqualTo(3);
        assertThat(stored(fromNow)).isZero();
    }

    /** found / stored / total of the poll row, read on another connection than the sync's. */
    private record Row(int found, int stored, int total) {
    }

    @Test
    void a_running_poll_shows_found_and_stored_growing_batch_by_batch_toward_the_total() {
        Mailbox mailbox = mailbox(10, null);
        inbox(35);
        long pollId = jdbi.onDemand(PollDao.class).start(mailbox.id());
        List<Row> seen = new java.util.ArrayList<>();
        server.beforeEachBatch = () -> seen.add(jdbi.onDemand(PollDao.class).find(pollId)
                .map(poll -> new Row(poll.found(), poll.stored(), poll.total())).orElseThrow());
        List<ImportProgress> told = new java.util.ArrayList<>();
        FolderState folder = new FolderList(jdbi).refresh(server, mailbox.id()).getFirst();
        try (SyncLock lock = SyncLock.acquire(jdbi, mailbox.id())) {
            folderSync.sync(server, mailbox, folder, new SyncRun(jdbi, pollId, lock, told::add, clock, null));
        }

        assertThat(seen).containsExactly(new Row(0, 0, 35), new Row(10, 10, 35), new Row(20, 20, 35),
                new Row(30, 30, 35), new Row(35, 35, 35));
        assertThat(told).containsExactly(new ImportProgress(10, 10, 35), new ImportProgress(20, 20, 35),
                new ImportProgress(30, 30, 35), new ImportProgress(35, 35, 35));
    }

    @Test
    void a_run_whose_slice_is_over_stops_after_the_batch_it_committed_and_the_next_run_goes_on() {
        Mailbox mailbox = mailbox(10, null);
        inbox(25);
        long pollId = jdbi.onDemand(PollDao.class).start(mailbox.id());
        FolderState folder = new FolderList(jdbi).refresh(server, mailbox.id()).getFirst();

        try (SyncLock lock = SyncLock.acquire(jdbi, mailbox.id())) {
            folderSync.sync(server, mailbox, folder, new SyncRun(jdbi, pollId, lock, ImportProgress.Listener.NONE, clock,
                    Duration.ZERO));
        }

        assertThat(stored(mailbox)).isEqualTo(10);
        assertThat(jdbi.onDemand(PollDao.class).find(pollId).orElseThrow().continues()).isTrue();
        run(mailbox);
        assertThat(stored(mailbox)).isEqualTo(25);
    }

    @Test
    void a_folder_sync_that_lost_its_lock_stops_at_its_next_batch_and_a_later_run_stores_the_rest_once() {
        Mailbox mailbox = mailbox(10, null);
        inbox(25);
        long pollId = jdbi.onDemand(PollDao.class).start(mailbox.id());
        FolderState folder = new FolderList(jdbi).refresh(server, mailbox.id()).getFirst();
        // after the first batch the lock's connection dies, as in a restart of PostgreSQL
        AtomicBoolean dropped = new AtomicBoolean();
        server.beforeEachBatch = () -> {
            if (server.handedOut.size() >= 10 && !dropped.getAndSet(true)) {
                LockConnections.drop(jdbi, mailbox.id());
            }
        };

        try (SyncLock lock = SyncLock.acquire(jdbi, mailbox.id())) {
            assertThatThrownBy(() -> folderSync.sync(server, mailbox, folder,
                    new SyncRun(jdbi, pollId, lock, ImportProgress.Listener.NONE, clock, null)))
                    .isInstanceOf(SyncLock.SyncLockLost.class);
        }
        assertThat(stored(mailbox)).isLessThan(25);

        server.beforeEachBatch = () -> { };
        run(mailbox);
        assertThat(stored(mailbox)).isEqualTo(25);
        assertThat(strings("SELECT count(DISTINCT server_key) FROM messages")).containsExactly("25");
        assertThat(strings("SELECT count(*) FROM quarantine")).containsExactly("0");
    }

    @Test
    void a_reread_after_a_new_uidvalidity_that_was_interrupted_finishes_on_a_later_run() {
        Mailbox mailbox = mailbox(1, null);
        ScriptedServer.Folder inbox = inbox(4);
        run(mailbox);
        // the folder comes back with a new UIDVALIDITY, message 4 gone and a new one
        inbox.recreate(8, List.of(numbered(1), numbered(2), numbered(3), numbered(5)));

        paused.set(true);
        run(mailbox);
        assertThat(jdbi.onDemand(FolderDao.class).find(mailbox.id(), "INBOX").orElseThrow().rereadPending()).isTrue();
        paused.set(false);
        run(mailbox);

        assertThat(strings("SELECT subject || ':' || deleted_on_server || ':' || uid_validity FROM messages ORDER BY subject"))
                .containsExactly("Message 1:false:8", "Message 2:false:8", "Message 3:false:8", "Message 4:true:7",
                        "Message 5:false:8");
        assertThat(jdbi.onDemand(FolderDao.class).find(mailbox.id(), "INBOX").orElseThrow().rereadPending()).isFalse();
    }

    @Test
    void a_server_action_the_server_refuses_is_retried_with_back_off_then_given_up_while_syncing_goes_on() {
        Mailbox mailbox = mailbox(500, "Refused");
        ScriptedServer.Folder inbox = server.folder("INBOX", 7);
        inbox.append(numbered(1));
        server.refuseActions = new PermanentException("the server would not create folder Refused to move messages to");

        long first = run(mailbox);
        inbox.append(numbered(2));
        run(mailbox);

        assertThat(strings("SELECT subject FROM messages ORDER BY subject")).containsExactly("Message 1", "Message 2");
        assertThat(strings("SELECT array_to_string(events, ' | ') FROM polls WHERE id = " + first).getFirst())
                .contains("move to Refused", "failed (attempt 1 of " + PostActionRunner.MAX_ATTEMPTS);
        assertThat(strings("SELECT attempts || '' FROM pending_actions ORDER BY id")).containsExactly("1", "1");

        for (int attempt = 0; attempt < PostActionRunner.MAX_ATTEMPTS; attempt++) {
            now = now.plus(Duration.ofDays(1));
            run(mailbox);
        }

        assertThat(strings("SELECT count(*) || '' FROM pending_actions")).containsExactly("0");
        assertThat(strings("SELECT post_action_error FROM messages ORDER BY subject"))
                .allSatisfy(error -> assertThat(error).contains("move to Refused", "given up",
                        "would not create folder Refused"));
        assertThat(strings("SELECT string_agg(array_to_string(events, ' | '), ' | ') FROM polls").getFirst())
                .contains("given up after " + PostActionRunner.MAX_ATTEMPTS + " attempts");
        assertThat(server.applied).isEmpty();
    }

    @Test
    void a_server_action_that_fails_once_is_done_on_a_later_attempt() {
        Mailbox mailbox = mailbox(500, "Processed");
        server.folder("INBOX", 7).append(numbered(1));
        server.refuseActions = new io.mailroom.api.TemporaryException("connection reset");
        run(mailbox);

        server.refuseActions = null;
        run(mailbox);
        assertThat(server.applied).as("not due yet: back-off").isEmpty();
        now = now.plus(PostActionRunner.FIRST_RETRY);
        run(mailbox);

        assertThat(server.applied).hasSize(1);
        assertThat(strings("SELECT count(*) || '' FROM pending_actions")).containsExactly("0");
        assertThat(strings("SELECT coalesce(post_action_error, 'none') FROM messages")).containsExactly("none");
    }

    @Test
    void a_message_moved_by_its_own_server_action_is_one_row_in_the_target_folder() {
        Mailbox mailbox = mailbox(500, "Processed");
        server.folder("INBOX", 7).append(numbered(1));
        server.folder("Processed", 100);

        run(mailbox);
        run(mailbox);

        assertThat(strings("SELECT folder || ':' || deleted_on_server FROM messages")).containsExactly("Processed:false");
    }

    @Test
    void each_stage_of_a_sync_is_timed_by_the_pipeline() {
        Mailbox mailbox = mailbox(2, null);
        inbox(3);

        run(mailbox);

        // two batches of at most two, then the empty batch that says the folder is drained
        assertThat(registry.get("mailroom.sync.stage").tag("stage", "fetch").timer().count()).isEqualTo(3);
        assertThat(registry.get("mailroom.sync.stage").tag("stage", "post_actions").timer().count()).isEqualTo(2);
        // parsing and writing overlap, so each is timed in parts, at least once per batch
        for (String stage : List.of("parse", "write")) {
            assertThat(registry.get("mailroom.sync.stage").tag("stage", stage).timer().count()).as(stage)
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void a_reader_that_reads_ahead_is_asked_for_the_next_batch_while_the_one_before_is_written_one_batch_ahead_at_most() {
        server.readAhead = true;
        Mailbox mailbox = mailbox(10, null);
        inbox(35);
        // how many batches the host had confirmed when each batch was asked for
        List<Integer> confirmedWhenAsked = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.beforeEachBatch = () -> confirmedWhenAsked.add(server.committed.size());

        run(mailbox);

        // batch k+1 is asked for before batch k is confirmed, and never before k-1 is: one batch ahead
        assertThat(confirmedWhenAsked).containsExactly(0, 0, 1, 2, 3);
        assertThat(server.committed).containsExactly(10L, 20L, 30L, 35L);
        assertThat(stored(mailbox)).isEqualTo(35);
        assertThat(strings("SELECT count(DISTINCT subject) || '/' || count(*) FROM messages")).containsExactly("35/35");
        assertThat(jdbi.onDemand(FolderDao.class).find(mailbox.id(), "INBOX").orElseThrow().cursor().lastUid()).isEqualTo(35);
        assertThat(server.released).as("every message's content is released once written")
                .containsExactlyInAnyOrderElementsOf(server.handedOut);
        assertThat(registry.get("mailroom.sync.stage").tag("stage", "fetch").timer().count()).isEqualTo(5);
        assertThat(registry.get("mailroom.sync.stage").tag("stage", "fetch_wait").timer().count()).isEqualTo(4);
    }

    @Test
    void a_batch_read_ahead_when_the_run_stops_is_released_uncommitted_and_read_again_by_the_next_run() {
        server.readAhead = true;
        Mailbox mailbox = mailbox(10, null);
        inbox(25);
        // the maintenance pause comes while batch 1 is written and batch 2 is read ahead
        server.beforeEachBatch = () -> paused.set(server.handedOut.size() >= 10);

        run(mailbox);

        assertThat(stored(mailbox)).isEqualTo(10);
        assertThat(server.committed).containsExactly(10L);
        assertThat(jdbi.onDemand(FolderDao.class).find(mailbox.id(), "INBOX").orElseThrow().cursor().lastUid()).isEqualTo(10);
        assertThat(server.handedOut).hasSize(20);
        assertThat(server.released).containsExactlyInAnyOrderElementsOf(server.handedOut);

        server.beforeEachBatch = () -> { };
        paused.set(false);
        run(mailbox);

        assertThat(stored(mailbox)).isEqualTo(25);
        assertThat(strings("SELECT count(DISTINCT subject) || '/' || count(*) FROM messages")).containsExactly("25/25");
        assertThat(server.committed).containsExactly(10L, 20L, 25L);
    }

    @Test
    void when_a_batch_fails_to_commit_the_batch_read_ahead_is_released_and_nothing_past_the_last_commit_counts() {
        server.readAhead = true;
        Mailbox mailbox = mailbox(10, null);
        inbox(35);
        server.unreadable.add(15L);

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> run(mailbox))).isNotNull();

        assertThat(server.committed).containsExactly(10L);
        assertThat(jdbi.onDemand(FolderDao.class).find(mailbox.id(), "INBOX").orElseThrow().cursor().lastUid()).isEqualTo(10);
        assertThat(stored(mailbox)).isEqualTo(10);
        assertThat(server.handedOut).hasSize(30);
        assertThat(server.released).containsExactlyInAnyOrderElementsOf(server.handedOut);

        server.unreadable.clear();
        run(mailbox);
        assertThat(strings("SELECT count(DISTINCT subject) || '/' || count(*) FROM messages")).containsExactly("35/35");
    }
}
