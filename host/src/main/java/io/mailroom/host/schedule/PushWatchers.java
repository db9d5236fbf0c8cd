package io.mailroom.host.schedule;

import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxConnector;
import io.mailroom.host.pipeline.MailboxSync;
import io.mailroom.host.store.LeaseDao;
import io.mailroom.host.store.MailboxDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Watches the mailboxes with {@code push} for new mail, each held by exactly one node through a
 * lease in PostgreSQL: every few seconds a node renews its leases, takes the ones nobody holds
 * or whose holder stopped renewing (a dead node), and starts or stops its folder watches to
 * match. A watched folder costs one connection and one virtual thread.
 */
public final class PushWatchers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PushWatchers.class);
    /** How long a lease lasts without renewal: a dead node's mailboxes move within this time. */
    public static final Duration LEASE = Duration.ofSeconds(30);
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
    private final Map<Long, List<FolderWatch>> watching = new HashMap<>();
    private final Semaphore syncs = new Semaphore(CONCURRENT_SYNCS);
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mailroom-push-leases").daemon().factory());

    public PushWatchers(Jdbi jdbi, MailboxConnector connector, MailboxSync sync) {
        this.jdbi = jdbi;
        this.connector = connector;
        this.sync = sync;
    }

    public PushWatchers start() {
        rounds.scheduleWithFixedDelay(this::round, 0, LEASE.toSeconds() / 3, TimeUnit.SECONDS);
        return this;
    }

    /** How many folders this node holds open for push. */
    public synchronized int connections() {
        return watching.values().stream().mapToInt(List::size).sum();
    }

    private synchronized void round() {
        try {
            LeaseDao leases = jdbi.onDemand(LeaseDao.class);
            leases.releaseUnwanted(nodeId);
            Set<Long> held = new HashSet<>(leases.renew(nodeId, LEASE.toSeconds()));
            held.addAll(leases.acquire(nodeId, LEASE.toSeconds(), TAKE_PER_ROUND));
            for (Long id : Set.copyOf(watching.keySet())) {
                if (!held.contains(id)) {
                    watching.remove(id).forEach(FolderWatch::close);
                }
            }
            for (Long id : held) {
                if (!watching.containsKey(id)) {
                    jdbi.onDemand(MailboxDao.class).find(id).ifPresent(this::watch);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Push lease round failed: {}", e.getMessage(), e);
        }
    }

    private void watch(Mailbox mailbox) {
        List<FolderWatch> watches = mailbox.folders().stream()
                .map(folder -> new FolderWatch(mailbox, folder, connector, this::syncNow)).toList();
        watches.forEach(watch -> Thread.ofVirtual().name("push-" + mailbox.id()).start(watch));
        watching.put(mailbox.id(), watches);
    }

    /** Syncs the mailbox; when a run is already going, waits for it and runs again, so no change is missed. */
    private void syncNow(long mailboxId) {
        try {
            for (int attempt = 0; attempt < 120; attempt++) {
                syncs.acquire();
                try {
                    if (sync.run(mailboxId).isPresent()) {
                        return;
                    }
                } finally {
                    syncs.release();
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
        watching.values().forEach(watches -> watches.forEach(FolderWatch::close));
        watching.clear();
        try {
            jdbi.onDemand(LeaseDao.class).releaseAll(nodeId);
        } catch (RuntimeException e) {
            LOG.debug("Could not release push leases: {}", e.getMessage());
        }
    }
}
