package io.mailroom.host.pipeline;

import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.health.MailboxMetrics;
import io.mailroom.host.mailboxes.FolderState;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxConnector;
import io.mailroom.host.mailboxes.Poll;
import io.mailroom.host.mailboxes.SyncNow;
import io.mailroom.host.network.ShownError;
import io.mailroom.host.notifications.Notifications;
import io.mailroom.host.store.Database;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.PollDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One sync run of a mailbox: take the mailbox's lock, connect, re-read the folder list, finish
 * server actions left from an earlier run, sync each enabled folder, and record the run in the
 * poll log and the mailbox's status. The pipeline, not its stages, owns the logging context and
 * the error policy: a failing folder does not stop the others, and a failing run says why.
 */
public final class MailboxSync implements SyncNow {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxSync.class);
    private static final String STOPPED_BY_PAUSE = "stopped by the maintenance pause; the next run goes on";

    private final Jdbi jdbi;
    private final MailboxConnector connector;
    private final FolderList folderList;
    private final PostActionRunner postActions;
    private final FolderSync folderSync;
    private final Notifications notifications;
    private final MailboxMetrics metrics;
    private final BooleanSupplier paused;
    private final Clock clock;
    private final ProcessingChain chain;
    private final Duration chainWait;

    /**
     * {@code paused} tells whether maintenance paused syncing: a run then stops after the batch it
     * is storing ({@code folderSync} is told the same). Before its last server actions a run
     * drains its mailbox's processing queue ({@code chain}), for at most {@code chainWait}, so
     * that mail it stored is marked read or moved by the same run when the chain says so.
     */
    public MailboxSync(Database database, MailboxConnector connector, FolderList folderList, FolderSync folderSync,
                       PostActionRunner postActions, Notifications notifications, MailboxMetrics metrics,
                       BooleanSupplier paused, Clock clock, ProcessingChain chain, Duration chainWait) {
        this.chain = chain;
        this.chainWait = chainWait;
        this.metrics = metrics;
        this.paused = paused;
        this.clock = clock;
        this.jdbi = database.jdbi();
        this.connector = connector;
        this.notifications = notifications;
        this.folderList = folderList;
        this.postActions = postActions;
        this.folderSync = folderSync;
    }

    /** Syncs the mailbox now and returns the run's poll, or empty when another run holds the mailbox. */
    @Override
    public Optional<Poll> run(long mailboxId) {
        return run(mailboxId, OptionalLong.empty(), ImportProgress.Listener.NONE, null);
    }

    /** Syncs the mailbox until drained, telling {@code listener} how far it got after each committed batch. */
    public Optional<Poll> run(long mailboxId, ImportProgress.Listener listener) {
        return run(mailboxId, OptionalLong.empty(), listener, null);
    }

    /**
     * Syncs the mailbox for about {@code slice}: the run stops after the batch that ends past it
     * and its poll says {@code continues}; whoever runs it then starts the next run at once,
     * after the mailboxes waiting for their turn (see {@link SyncRun}).
     */
    public Optional<Poll> runFor(long mailboxId, Duration slice) {
        return run(mailboxId, OptionalLong.empty(), ImportProgress.Listener.NONE, slice);
    }

    /**
     * Runs a sync the API queued (its poll has status {@code queued}), recording it in that
     * poll, for about {@code slice} as {@link #runFor} does; empty, with the poll still queued,
     * when another run holds the mailbox.
     */
    public Optional<Poll> runQueued(long mailboxId, long queuedPollId, Duration slice) {
        return run(mailboxId, OptionalLong.of(queuedPollId), ImportProgress.Listener.NONE, slice);
    }

    private Optional<Poll> run(long mailboxId, OptionalLong queuedPollId, ImportProgress.Listener listener,
                               Duration slice) {
        Optional<SyncLock> lock = SyncLock.tryAcquire(jdbi, mailboxId);
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try (SyncLock held = lock.get(); MDC.MDCCloseable ignored = MDC.putCloseable("mailbox", Long.toString(mailboxId))) {
            PollDao polls = jdbi.onDemand(PollDao.class);
            polls.failInterrupted(mailboxId);
            Mailbox mailbox = jdbi.onDemand(MailboxDao.class).find(mailboxId).orElseThrow();
            long pollId = queuedPollId.isPresent() && polls.begin(queuedPollId.getAsLong()) == 1
                    ? queuedPollId.getAsLong() : polls.start(mailboxId);
            jdbi.onDemand(MailboxDao.class).markSyncing(mailboxId);
            finish(mailbox, pollId, syncFolders(mailbox, new SyncRun(jdbi, pollId, held, listener, clock, slice)));
            Optional<Poll> poll = polls.find(pollId);
            poll.ifPresent(metrics::recordPoll);
            return poll;
        }
    }

    /** The errors of the run: empty when all went well; the first is why a run failed outright. */
    private List<Failure> syncFolders(Mailbox mailbox, SyncRun run) {
        long pollId = run.pollId();
        List<Failure> failures = new ArrayList<>();
        try (SourceConnection connection = connector.connect(mailbox)) {
            List<FolderState> folders = folderList.refresh(connection, mailbox.id());
            // a failing action is retried later and never keeps the folders from being read
            postActions.run(connection, mailbox.id(), pollId);
            Set<String> enabled = Set.copyOf(mailbox.folders());
            run.estimate(jdbi.onDemand(MailboxDao.class).backlogByFolder(mailbox.id(), mailbox.folders().toArray(String[]::new))
                    .stream().collect(Collectors.toMap(MailboxDao.FolderBacklog::folder, MailboxDao.FolderBacklog::waiting)));
            for (FolderState folder : folders) {
                if (!enabled.contains(folder.name()) || folder.deletedOnServer()) {
                    continue;
                }
                if (paused.getAsBoolean()) {
                    failures.add(new Failure(STOPPED_BY_PAUSE, null, true));
                    break;
                }
                try (MDC.MDCCloseable ignored = MDC.putCloseable("folder", folder.name())) {
                    folderSync.sync(connection, mailbox, folder, run);
                } catch (SyncLock.SyncLockLost e) {
                    // another run may hold the mailbox now: this one does nothing more
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("Sync of folder {} failed: {}", folder.name(), FailureReason.of(e), e);
                    failures.add(new Failure(folder.name() + ": " + FailureReason.of(e), e, true));
                }
                if (run.cutShort()) {
                    // the slice is over: the next run goes on with this folder, then the others
                    break;
                }
            }
            // the chains of the mail stored by this run decide its server actions; then they are carried out
            stagesDrain(mailbox.id());
            postActions.run(connection, mailbox.id(), pollId);
        } catch (RuntimeException e) {
            LOG.warn("Sync failed: {}", FailureReason.of(e), e);
            failures.add(0, new Failure(FailureReason.of(e), e, false));
        }
        return failures;
    }

    /** Runs the waiting chains of the mailbox here; a chain that fails is left to the workers and never fails the run. */
    private void stagesDrain(long mailboxId) {
        try {
            chain.drain(mailboxId, chainWait);
        } catch (RuntimeException e) {
            LOG.warn("Processing the stored mail failed; the workers take it again: {}", FailureReason.of(e), e);
        }
    }

    private void finish(Mailbox mailbox, long pollId, List<Failure> failures) {
        MailboxDao mailboxes = jdbi.onDemand(MailboxDao.class);
        PollDao polls = jdbi.onDemand(PollDao.class);
        if (failures.isEmpty() && paused.getAsBoolean()) {
            failures = List.of(new Failure(STOPPED_BY_PAUSE, null, true));
        }
        if (failures.isEmpty()) {
            polls.finish(pollId, "ok", null);
            mailboxes.markSucceeded(mailbox.id());
            return;
        }
        if (failures.stream().allMatch(failure -> failure.message().equals(STOPPED_BY_PAUSE))) {
            polls.finish(pollId, "partial", STOPPED_BY_PAUSE);
            mailboxes.markIdle(mailbox.id());
            return;
        }
        Failure first = failures.getFirst();
        boolean someFolderFailed = failures.stream().allMatch(Failure::folderOnly);
        polls.finish(pollId, someFolderFailed ? "partial" : "failed", first.message());
        boolean credentials = first.cause() instanceof AuthenticationFailedException;
        mailboxes.markFailed(mailbox.id(), credentials ? "auth_failed" : "error", first.message());
        if (credentials) {
            notifications.credentialsFailed(mailbox, first.message());
        }
    }

    /** Why part or all of a run failed. */
    private record Failure(String message, Throwable cause, boolean folderOnly) {
        Failure {
            message = ShownError.text(message); // shown to users as last_error: one bounded line
        }
    }
}
