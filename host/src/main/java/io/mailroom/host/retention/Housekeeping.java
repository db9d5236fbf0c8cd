package io.mailroom.host.retention;

import io.mailroom.host.store.SessionLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The daily housekeeping: with {@code mailroom.retention.days} N > 0, deletes stored messages
 * received more than N days ago and quarantine entries quarantined more than N days ago, with
 * what hangs off them and the blobs nothing names any more; with {@code mailroom.housekeeping.days}
 * M > 0, deletes poll logs and skipped records older than M days. It logs what it is about to
 * delete, with the counts, before it deletes anything, and what it deleted after.
 *
 * <p>Each batch of at most {@link #BATCH} rows is its own transaction, so a first run over years
 * of mail holds no long transaction and a crash keeps what was done; a run is idempotent (a
 * second finds nothing). Statistics are not touched: their counts were kept when the mail came
 * (V34). One run at a time in the whole cluster: a session advisory lock, so a run asked for by
 * the API while the scheduled one runs on another node is refused, not doubled.
 *
 * <p>A blob goes only once no message, quarantine entry or (pre-V20) attachment names it, checked
 * in the transaction that deleted the rows; a blob another transaction is naming at that moment
 * makes the batch fail on the foreign key, and the batch is tried again.
 */
public final class Housekeeping implements AutoCloseable {

    static final int BATCH = 1000;
    /** The lock of Mailroom's housekeeping ({@link SessionLock}): namespace 'hk' (the sync locks' is 'MR'), key 0. */
    static final int LOCK_NAMESPACE = 0x686b;
    static final int LOCK_KEY = 0;
    private static final int ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final Jdbi jdbi;
    private final int retentionDays;
    private final int housekeepingDays;
    private final Clock clock;
    private final int batch;
    private final Map<String, Counter> deleted = new TreeMap<>();
    /** Set when the node stops: a run ends after the batch it is in, and the next run goes on from there. */
    private volatile boolean stopping;

    public Housekeeping(Jdbi jdbi, int retentionDays, int housekeepingDays, Clock clock, MeterRegistry metrics) {
        this(jdbi, retentionDays, housekeepingDays, clock, metrics, BATCH);
    }

    Housekeeping(Jdbi jdbi, int retentionDays, int housekeepingDays, Clock clock, MeterRegistry metrics, int batch) {
        this.jdbi = jdbi;
        this.retentionDays = retentionDays;
        this.housekeepingDays = housekeepingDays;
        this.clock = clock;
        this.batch = batch;
        for (String kind : List.of("messages", "quarantined", "blobs", "polls", "skipped")) {
            deleted.put(kind, Counter.builder("mailroom.retention.deleted").tag("kind", kind)
                    .description("Rows deleted by retention and housekeeping (mailroom.retention.days, mailroom.housekeeping.days)")
                    .register(metrics));
        }
    }

    /** One run now; empty when another run holds the lock (on this node or another). */
    public Optional<HousekeepingReport> run() {
        Optional<SessionLock> lock = SessionLock.tryTake(jdbi, LOCK_NAMESPACE, LOCK_KEY, "the housekeeping lock");
        if (lock.isEmpty()) {
            LOG.info("Housekeeping is running elsewhere; not starting a second run");
            return Optional.empty();
        }
        try (SessionLock held = lock.get()) {
            return Optional.of(runLocked());
        }
    }

    /** What a run would delete now, without deleting. */
    public HousekeepingReport plan() {
        Instant now = clock.instant();
        Instant messagesBefore = cutoff(now, retentionDays);
        Instant logsBefore = cutoff(now, housekeepingDays);
        RetentionDao dao = jdbi.onDemand(RetentionDao.class);
        long messages = 0;
        long quarantined = 0;
        RetentionDao.BlobTotal blobs = new RetentionDao.BlobTotal(0, 0);
        if (messagesBefore != null) {
            List<RetentionDao.MailboxCount> perMailbox = dao.expiredMessages(messagesBefore);
            messages = perMailbox.stream().mapToLong(RetentionDao.MailboxCount::count).sum();
            perMailbox.forEach(m -> LOG.debug("Retention: mailbox {} has {} message(s) received before {}",
                    m.mailboxId(), m.count(), messagesBefore));
            quarantined = dao.expiredQuarantine(messagesBefore).stream().mapToLong(RetentionDao.MailboxCount::count).sum();
            blobs = dao.blobsFreed(messagesBefore);
        }
        long polls = logsBefore == null ? 0 : dao.oldPolls(logsBefore);
        long skipped = logsBefore == null ? 0 : dao.oldSkipped(logsBefore);
        return new HousekeepingReport(messagesBefore, logsBefore, messages, quarantined, blobs.count(), blobs.bytes(),
                0, polls, skipped, 0);
    }

    private HousekeepingReport runLocked() {
        if (retentionDays == 0 && housekeepingDays == 0) {
            LOG.debug("Housekeeping: nothing is set to expire (mailroom.retention.days and mailroom.housekeeping.days are 0)");
            return HousekeepingReport.NOTHING;
        }
        HousekeepingReport plan = plan();
        LOG.info("Housekeeping will delete {}: messages received and quarantined before {} (mailroom.retention.days={}), "
                        + "poll logs and skipped records before {} (mailroom.housekeeping.days={})", plan.counts(),
                plan.messagesBefore() == null ? "never" : plan.messagesBefore(), retentionDays,
                plan.logsBefore() == null ? "never" : plan.logsBefore(), housekeepingDays);
        Instant now = clock.instant();
        Tally tally = new Tally();
        if (plan.messagesBefore() != null) {
            while (!stopping
                    && inBatch(tally, handle -> deleteMessages(handle, plan.messagesBefore(), now, tally)) == batch) {
                // another full batch may follow
            }
            while (!stopping
                    && inBatch(tally, handle -> deleteQuarantine(handle, plan.messagesBefore(), now, tally)) == batch) {
                // another full batch may follow
            }
        }
        if (plan.logsBefore() != null) {
            while (!stopping && inBatch(tally, handle -> count(tally, "polls",
                    handle.attach(RetentionDao.class).deletePolls(plan.logsBefore(), batch))) == batch) {
                // another full batch may follow
            }
            while (!stopping && inBatch(tally, handle -> count(tally, "skipped",
                    handle.attach(RetentionDao.class).deleteSkipped(plan.logsBefore(), batch, now))) == batch) {
                // another full batch may follow
            }
        }
        HousekeepingReport done = tally.report(plan.messagesBefore(), plan.logsBefore());
        if (stopping) {
            LOG.info("Housekeeping stopped with the node after {} batch(es); the next run goes on", done.batches());
        }
        LOG.info("Housekeeping deleted {} and {} empty thread(s) in {} batch(es)", done.counts(), done.threads(),
                done.batches());
        return done;
    }

    /** One batch in its own transaction, tried again when it failed (a blob named meanwhile); returns the rows it took. */
    private int inBatch(Tally tally, java.util.function.Function<Handle, Integer> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                int rows = jdbi.inTransaction(work::apply);
                tally.committed();
                return rows;
            } catch (RuntimeException e) {
                tally.rolledBack();
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.warn("A housekeeping batch failed ({}); trying it again", e.getMessage());
            }
        }
    }

    private int deleteMessages(Handle handle, Instant before, Instant now, Tally tally) {
        RetentionDao dao = handle.attach(RetentionDao.class);
        long[] ids = dao.nextExpiredMessages(before, batch);
        if (ids.length == 0) {
            return 0;
        }
        Set<String> hashes = new HashSet<>(dao.attachmentBlobs(ids));
        List<RetentionDao.Gone> gone = dao.deleteMessages(ids, now);
        Set<Long> threads = new HashSet<>();
        for (RetentionDao.Gone row : gone) {
            hashes.add(row.contentHash());
            if (row.threadId() != null) {
                threads.add(row.threadId());
            }
        }
        long[] threadIds = threads.stream().mapToLong(Long::longValue).toArray();
        dao.recountThreads(threadIds);
        tally.add("threads", dao.deleteEmptyThreads(threadIds));
        count(tally, "messages", gone.size());
        deleteBlobs(dao, hashes, tally);
        return ids.length;
    }

    private int deleteQuarantine(Handle handle, Instant before, Instant now, Tally tally) {
        RetentionDao dao = handle.attach(RetentionDao.class);
        List<RetentionDao.Gone> gone = dao.deleteQuarantine(before, batch, now);
        count(tally, "quarantined", gone.size());
        Set<String> hashes = new HashSet<>();
        gone.forEach(row -> hashes.add(row.contentHash()));
        deleteBlobs(dao, hashes, tally);
        return gone.size();
    }

    private void deleteBlobs(RetentionDao dao, Set<String> hashes, Tally tally) {
        if (hashes.isEmpty()) {
            return;
        }
        List<Long> sizes = dao.deleteUnreferencedBlobs(hashes.toArray(String[]::new));
        count(tally, "blobs", sizes.size());
        tally.add("blob_bytes", sizes.stream().mapToLong(Long::longValue).sum());
    }

    private int count(Tally tally, String kind, int rows) {
        tally.add(kind, rows);
        return rows;
    }

    /** Counts as the batches go: a batch's counts (and the metrics) count once it committed. */
    private final class Tally {
        private final Map<String, Long> counts = new TreeMap<>();
        private Map<String, Long> pending = new TreeMap<>();
        private int batches;

        void add(String kind, long n) {
            pending.merge(kind, n, Long::sum);
        }

        void rolledBack() {
            pending = new TreeMap<>();
        }

        void committed() {
            batches++;
            pending.forEach((kind, n) -> {
                counts.merge(kind, n, Long::sum);
                Counter counter = deleted.get(kind);
                if (counter != null) {
                    counter.increment(n);
                }
            });
            pending = new TreeMap<>();
        }

        private long get(String kind) {
            return counts.getOrDefault(kind, 0L);
        }

        HousekeepingReport report(Instant messagesBefore, Instant logsBefore) {
            return new HousekeepingReport(messagesBefore, logsBefore, get("messages"), get("quarantined"), get("blobs"),
                    get("blob_bytes"), get("threads"), get("polls"), get("skipped"), batches);
        }
    }

    /** Stops a run at the end of its current batch (the node is shutting down); no new batch starts. */
    @Override
    public void close() {
        stopping = true;
    }

    private static Instant cutoff(Instant now, int days) {
        return days == 0 ? null : now.minus(Duration.ofDays(days));
    }
}
