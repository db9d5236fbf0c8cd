package io.mailroom.host.pipeline;

import io.mailroom.host.mailboxes.PollDao;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One run as it goes: its poll, how far it got, and when it should hand its thread over. The
 * poll's {@code total} starts as the folder listing's estimate (server count less stored count,
 * per enabled folder) and is made exact as each folder opens and its source says how many it
 * will read ({@code FolderReader.remaining()}). Found and stored reach the poll row in each
 * batch's own transaction ({@link BatchCommit}); here they only go to the listener.
 *
 * <p>A run with a slice stops after the batch that ends past it, so that a large import does
 * not hold a scheduler thread (and its connections) for hours while other mailboxes wait; the
 * cursor is committed, and whoever runs it starts the next run at once.
 */
final class SyncRun {

    private final Jdbi jdbi;
    private final long pollId;
    private final SyncLock lock;
    private final ImportProgress.Listener listener;
    private final Clock clock;
    private final Instant deadline;
    private final Map<String, Long> estimates = new HashMap<>();
    private long total;
    /** The total the poll row holds: a no-change sync writes none (0 stays 0). */
    private long recorded;
    private long found;
    private long stored;
    private boolean cutShort;

    /** A run holding {@code lock}, the mailbox's; each batch confirms it still does. */
    SyncRun(Jdbi jdbi, long pollId, SyncLock lock, ImportProgress.Listener listener, Clock clock, Duration slice) {
        this.jdbi = jdbi;
        this.pollId = pollId;
        this.lock = lock;
        this.listener = listener;
        this.clock = clock;
        this.deadline = slice == null ? null : clock.instant().plus(slice);
    }

    /** A run that goes until the folders are drained, watched by nobody (tests, re-reads). */
    static SyncRun unbounded(Jdbi jdbi, long pollId, SyncLock lock, Clock clock) {
        return new SyncRun(jdbi, pollId, lock, ImportProgress.Listener.NONE, clock, null);
    }

    long pollId() {
        return pollId;
    }

    SyncLock lock() {
        return lock;
    }

    /** The folder listing's estimate of what waits in each folder to sync, before any opens. */
    void estimate(Map<String, Long> waiting) {
        estimates.putAll(waiting);
        total = estimates.values().stream().mapToLong(Long::longValue).sum();
        recordTotal();
    }

    /** A folder opened: its source's own count replaces the estimate ({@code -1}: keep the estimate). */
    void opened(String folder, long remaining) {
        if (remaining < 0) {
            return;
        }
        Long before = estimates.put(folder, remaining);
        total += remaining - (before == null ? 0 : before);
        recordTotal();
    }

    /** A batch committed. */
    void committed(SyncCounts counts) {
        found += counts.found();
        stored += counts.stored();
        // more found than counted (mail that arrived meanwhile, a source that cannot count): never over 100 %
        total = Math.max(total, found);
        listener.progressed(new ImportProgress(found, stored, total));
    }

    /** Whether the run's slice is over: it stops after the batch it committed, and says so in its poll. */
    boolean sliceOver() {
        if (deadline == null || clock.instant().isBefore(deadline)) {
            return false;
        }
        if (!cutShort) {
            cutShort = true;
            jdbi.onDemand(PollDao.class).continues(pollId);
        }
        return true;
    }

    /** Whether the run stopped after its slice with mail left. */
    boolean cutShort() {
        return cutShort;
    }

    private void recordTotal() {
        if (total != recorded) {
            jdbi.onDemand(PollDao.class).total(pollId, total);
            recorded = total;
        }
    }
}
