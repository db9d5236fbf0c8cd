package io.mailroom.host.pipeline;

import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderChanges;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.host.mailboxes.FolderState;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.FolderDao;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.mailboxes.PollDao;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Syncs one folder: applies what changed on the server to stored messages, then reads new
 * messages batch after batch until the folder is drained, committing each batch with the cursor
 * and carrying out its server actions right after. A reader that allows it is read one batch
 * ahead ({@link BatchFeed}): batch N+1 comes from the server while batch N is written. The cursor
 * still moves only with a committed batch; a batch read ahead and not committed (the run stops,
 * or a commit fails) is released and read again by the next run.
 */
public final class FolderSync {

    /** A batch holds at most this much message content beyond its first message (bounded memory). */
    static final long MAX_BATCH_BYTES = 32L * 1024 * 1024;

    private final Jdbi jdbi;
    private final BatchCommit batches;
    private final PostActionRunner postActions;
    private final BooleanSupplier paused;
    private final Clock clock;
    private final long maxMessageSize;
    private final SyncStages stages;

    /** {@code paused} tells whether maintenance paused syncing: the folder's loop then stops after the batch it stored. */
    public FolderSync(Jdbi jdbi, BatchCommit batches, PostActionRunner postActions, BooleanSupplier paused, Clock clock,
                      long maxMessageSize, SyncStages stages) {
        this.stages = stages;
        this.maxMessageSize = maxMessageSize;
        this.jdbi = jdbi;
        this.batches = batches;
        this.postActions = postActions;
        this.paused = paused;
        this.clock = clock;
    }

    /** Syncs the folder outside a mailbox's run: it takes the mailbox's lock itself. */
    SyncCounts sync(SourceConnection connection, Mailbox mailbox, FolderState folder, long pollId) {
        try (SyncLock lock = SyncLock.acquire(jdbi, mailbox.id())) {
            return sync(connection, mailbox, folder, SyncRun.unbounded(jdbi, pollId, lock, clock));
        }
    }

    /** Syncs the folder as part of {@code run}: its progress is told after each batch, and its slice can end the loop. */
    SyncCounts sync(SourceConnection connection, Mailbox mailbox, FolderState folder, SyncRun run) {
        long pollId = run.pollId();
        SyncCursor cursor = folder.cursor();
        FetchOptions options = options(mailbox, folder, cursor);
        try (FolderReader reader = connection.open(folder.name(), cursor, options);
             BatchFeed feed = new BatchFeed(reader, mailbox.maxMessagesPerPoll(), MAX_BATCH_BYTES, stages)) {
            SyncCursor server = reader.serverCursor();
            boolean invalidated = cursor.invalidatedBy(server);
            if (invalidated) {
                jdbi.useHandle(handle -> {
                    handle.attach(FolderDao.class).reset(mailbox.id(), folder.name(), server.validity(), server.highestModSeq());
                    handle.attach(PollDao.class).addEvent(pollId, "UIDVALIDITY of " + folder.name() + " changed from "
                            + cursor.validity() + " to " + server.validity() + ": the folder was read again");
                });
            } else {
                applyChanges(mailbox.id(), folder.name(), cursor.validity(), reader.changes(), server.highestModSeq());
            }
            // A re-read interrupted earlier (crash, pause, error) goes on from its cursor and ends here.
            boolean rescan = invalidated || folder.rereadPending();
            run.opened(folder.name(), reader.remaining());
            SyncCounts counts = SyncCounts.NONE;
            boolean drained = true;
            for (FolderBatch batch = feed.next(); !batch.isEmpty(); batch = feed.next()) {
                if (!paused.getAsBoolean() && !run.sliceOver()) {
                    // a run that stops after this batch reads nothing more
                    feed.readAhead();
                }
                SyncCounts committed;
                try {
                    committed = batches.commit(mailbox, folder.name(), batch, pollId, options.notBefore(), run.lock());
                } finally {
                    release(batch);
                }
                counts = counts.plus(committed);
                run.committed(committed);
                // the reader and the connection are used by one thread at a time
                boolean readFine = feed.settle();
                reader.committed(batch);
                if (readFine) {
                    // after a failed read the connection may be broken: the actions wait for the next run
                    stages.run(SyncStages.POST_ACTIONS, () -> postActions.run(connection, mailbox.id(), pollId));
                }
                if (paused.getAsBoolean() || run.sliceOver()) {
                    // The cursor is committed: the next run goes on from here.
                    drained = false;
                    break;
                }
            }
            if (rescan && drained) {
                jdbi.useTransaction(handle -> {
                    handle.attach(MessageDao.class).markOtherValiditiesDeleted(mailbox.id(), folder.name(),
                            server.validity());
                    handle.attach(FolderDao.class).finishReread(mailbox.id(), folder.name());
                });
            }
            return counts;
        }
    }

    /** The host is done with a batch's bytes (committed, failed or not used): spooled files go. */
    static void release(FolderBatch batch) {
        batch.messages().forEach(message -> message.content().release());
    }

    private FetchOptions options(Mailbox mailbox, FolderState folder, SyncCursor cursor) {
        // The first-sync window applies to a folder never synced; a re-read after a new
        // UIDVALIDITY reads everything, so that what is gone can be told apart. A source without
        // UIDVALIDITY (POP3) has no position past the old mail, so the window applies every time.
        // No first_sync_days (null) means all mail: no window at all.
        Instant notBefore = cursor.validity() == 0 && mailbox.firstSyncDays() != null
                ? clock.instant().minus(Duration.ofDays(mailbox.firstSyncDays())) : null;
        return new FetchOptions(notBefore, mailbox.unreadOnly(), new StoredKeys(jdbi, mailbox.id(), folder.name()),
                maxMessageSize);
    }

    private void applyChanges(long mailboxId, String folder, long validity, FolderChanges changes, long modseq) {
        jdbi.useTransaction(handle -> {
            MessageDao messages = handle.attach(MessageDao.class);
            for (Map.Entry<String, Set<String>> change : changes.flags().entrySet()) {
                messages.updateFlags(mailboxId, folder, validity, change.getKey(),
                        change.getValue().stream().sorted().toArray(String[]::new));
            }
            if (!changes.expunged().isEmpty()) {
                messages.markDeletedOnServer(mailboxId, folder, validity, changes.expunged().toArray(String[]::new));
            }
            handle.attach(FolderDao.class).recordModseq(mailboxId, folder, modseq);
        });
    }
}
