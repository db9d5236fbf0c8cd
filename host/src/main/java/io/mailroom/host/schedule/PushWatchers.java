package io.mailroom.host.schedule;

import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxChanges;
import io.mailroom.host.mailboxes.MailboxConnector;
import io.mailroom.host.pipeline.MailboxSync;
import io.mailroom.host.mailboxes.Poll;
import io.mailroom.host.mailboxes.MailboxDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Watches the mailboxes with {@code push} for new mail, each held by exactly one node through a
 * lease in PostgreSQL: every {@link #ROUND} a node renews its leases, takes the ones nobody
 * holds or whose holder stopped renewing (a dead node), and starts, restarts or stops its
 * folder watches to match the mailboxes as stored. A watched folder costs one connection and
 * one thread.
 *
 * <p>A mailbox created or changed through this node ({@link #changed}) is followed at once:
 * its lease is taken before the request answers and its watch started (or restarted with the
 * new settings, or stopped and its lease given up). A mailbox changed through another node
 * while this one holds its lease is followed at this node's next round, within {@link #ROUND}.
 *
 * <p>Threads: before JDK 24 a virtual thread blocked in a read inside {@code synchronized}
 * (Angus' IMAP protocol does that) pins its carrier, so a few idle watches would stall every
 * other virtual thread of the process; there each watch gets a platform thread of its own.
 */
public final class PushWatchers implements MailboxChanges, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PushWatchers.class);
    /** How long a lease lasts without renewal: a dead node's mailboxes move within this time. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    /** How often a node renews and takes leases, and catches up with changes made on other nodes. */
    public static final Duration ROUND = LEASE.dividedBy(3);
    /** Whether watches run on virtual threads: only where a blocked virtual thread does not pin its carrier. */
    static final boolean VIRTUAL_THREADS = Runtime.version().feature() >= 24;
    private static final int TAKE_PER_ROUND = 200;
    /**
     * Syncs that push may run at once: a run holds two database connections, and a thousand
     * watches waking together (at start, after a network blip) must not drain the pool.
     */
    private static final int CONCURRENT_SYNCS = 2;

    private final Jdbi jdbi;
    private final MailboxConnector connector;
    private final MailboxSync sync;
    private final String nodeId = UUID.randomUUID().toString();
    private final Map<Long, Watch> watching = new HashMap<>();
    /** Fair: a push sync waiting for a slot gets it before an import that goes on with its next slice. */
    private final Semaphore syncs = new Semaphore(CONCURRENT_SYNCS, true);
    private final Duration slice;
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mailroom-push-leases").daemon().factory());
    private boolean started;
    private boolean toldAboutPlatformThreads;

    /** Watches nothing until {@link #start}: the commands that only sync never start it. */
    public PushWatchers(Jdbi jdbi, MailboxConnector connector, MailboxSync sync, Duration slice) {
        this.slice = slice;
        this.jdbi = jdbi;
        this.connector = connector;
        this.sync = sync;
    }

    public synchronized PushWatchers start() {
        started = true;
        rounds.scheduleWithFixedDelay(this::round, 0, ROUND.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** How many folders this node holds open for push. */
    public synchronized int connections() {
        return watching.values().stream().mapToInt(watch -> watch.folders().size()).sum();
    }

    /** Follows a mailbox created, changed or deleted through this node at once, rather than at the next round. */
    @Override
    public synchronized void changed(long mailboxId) {
        if (!started) {
            return;
        }
        try {
            LeaseDao leases = jdbi.onDemand(LeaseDao.class);
            Optional<Mailbox> mailbox = jdbi.onDemand(MailboxDao.class).find(mailboxId)
                    .filter(stored -> stored.push() && stored.enabled());
            if (mailbox.isPresent() && leases.take(nodeId, mailboxId, LEASE.toSeconds()).isPresent()) {
                follow(mailbox.get());
                return;
            }
            // not wanted any more, or another node holds it: that one follows the change at its next round
            stop(mailboxId);
            if (mailbox.isEmpty()) {
                leases.release(nodeId, mailboxId);
            }
        } catch (RuntimeException e) {
            LOG.warn("Push could not follow the change of mailbox {} at once ({}); its next round will",
                    mailboxId, e.getMessage(), e);
        }
    }

    private synchronized void round() {
        try {
            LeaseDao leases = jdbi.onDemand(LeaseDao.class);
            leases.releaseUnwanted(nodeId);
            leases.renew(nodeId, LEASE.toSeconds());
            leases.acquire(nodeId, LEASE.toSeconds(), TAKE_PER_ROUND);
            Map<Long, Mailbox> held = leases.held(nodeId).stream()
                    .collect(Collectors.toMap(Mailbox::id, Function.identity()));
            for (Long id : Set.copyOf(watching.keySet())) {
                if (!held.containsKey(id)) {
                    stop(id);
                }
            }
            held.values().forEach(this::follow);
        } catch (RuntimeException e) {
            LOG.warn("Push lease round failed: {}", e.getMessage(), e);
        }
    }

    /** Watches the mailbox as stored now: starts its watch, or restarts it when how it connects changed. */
    private void follow(Mailbox mailbox) {
        Watch current = watching.get(mailbox.id());
        if (current != null && current.connectsAs(mailbox)) {
            return;
        }
        if (current != null) {
            LOG.info("Mailbox {} changed; its push watch reconnects with the new settings", mailbox.id());
            stop(mailbox.id());
        }
        warnOnceAboutPlatformThreads();
        List<FolderWatch> folders = mailbox.folders().stream()
                .map(folder -> new FolderWatch(mailbox.id(), folder, this::stored, connector, this::syncNow)).toList();
        folders.forEach(watch -> watchThreads().name("push-" + mailbox.id()).start(watch));
        watching.put(mailbox.id(), new Watch(mailbox, folders));
    }

    /** Ends the mailbox's watch; its connections close on a thread of their own, so a slow server holds up nothing. */
    private void stop(long mailboxId) {
        Watch watch = watching.remove(mailboxId);
        if (watch != null) {
            watchThreads().name("push-" + mailboxId + "-close").start(() -> watch.folders().forEach(FolderWatch::close));
        }
    }

    private Optional<Mailbox> stored(long mailboxId) {
        return jdbi.onDemand(MailboxDao.class).find(mailboxId);
    }

    /** The threads watches run on: virtual from JDK 24, platform before (see the class comment). */
    static Thread.Builder watchThreads() {
        return VIRTUAL_THREADS ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
    }

    private void warnOnceAboutPlatformThreads() {
        if (!VIRTUAL_THREADS && !toldAboutPlatformThreads) {
            toldAboutPlatformThreads = true;
            LOG.warn("Push runs one platform thread per watched folder on JDK {}: run on JDK 24 or newer for many push "
                    + "mailboxes (virtual threads)", Runtime.version().feature());
        }
    }

    /**
     * Syncs the mailbox; when a run is already going, waits for it and runs again, so no change
     * is missed. A large import (the first sync of a push mailbox) runs slice by slice
     * (mailroom.sync.slice) and gives its slot back between slices, so the other push mailboxes
     * waiting for one get their turn.
     */
    private void syncNow(long mailboxId) {
        try {
            for (int attempt = 0; attempt < 120; attempt++) {
                Optional<Poll> poll;
                syncs.acquire();
                try {
                    poll = sync.runFor(mailboxId, slice);
                } finally {
                    syncs.release();
                }
                if (poll.isPresent() && !poll.get().continues()) {
                    return;
                }
                if (poll.isPresent()) {
                    attempt = 0;
                    continue;
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every watch and gives the leases up, so another node takes them at once. */
    @Override
    public synchronized void close() {
        rounds.shutdownNow();
        watching.values().forEach(watch -> watch.folders().forEach(FolderWatch::close));
        watching.clear();
        if (!started) {
            return;
        }
        started = false;
        try {
            jdbi.onDemand(LeaseDao.class).releaseAll(nodeId);
        } catch (RuntimeException e) {
            LOG.debug("Could not release push leases: {}", e.getMessage());
        }
    }

    /** A mailbox's watches and the mailbox as they were started from. */
    private record Watch(Mailbox mailbox, List<FolderWatch> folders) {

        /** Whether the watches connect as the mailbox now asks: same source, account, settings and folders. */
        boolean connectsAs(Mailbox now) {
            return Objects.equals(mailbox.source(), now.source()) && Objects.equals(mailbox.auth(), now.auth())
                    && Objects.equals(mailbox.email(), now.email()) && Objects.equals(mailbox.settings(), now.settings())
                    && mailbox.folders().equals(now.folders());
        }
    }
}
