package io.mailroom.host.mailboxes;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How many syncs asked for through the API run at once on this node: at most
 * {@code mailroom.sync.max.concurrent} in all and {@code mailroom.sync.max.per.user} for the
 * mailboxes of one owner. Each run holds a database connection for its lock and takes more
 * while it stores; without a bound, a few slow syncs on request threads took the whole pool and
 * every other request (token checks included) failed.
 *
 * <p>Only {@link #tryTake}: nobody waits here. A request that finds no slot is queued as a
 * Quartz trigger (a row, no thread, no connection) and its run tries again later.
 */
public final class SyncSlots {

    private final int total;
    private final int perUser;
    private int running;
    private final Map<Long, Integer> byOwner = new HashMap<>();

    public SyncSlots(int total, int perUser) {
        if (total < 1 || perUser < 1) {
            throw new IllegalArgumentException("sync slots need at least one in all and one per user");
        }
        this.total = total;
        this.perUser = perUser;
    }

    /** A slot for a sync of a mailbox of {@code ownerId} ({@code null}: no owner), or empty when the bounds are reached. */
    public synchronized Optional<Slot> tryTake(Long ownerId) {
        long owner = ownerId == null ? 0 : ownerId;
        int mine = byOwner.getOrDefault(owner, 0);
        if (running >= total || mine >= perUser) {
            return Optional.empty();
        }
        running++;
        byOwner.put(owner, mine + 1);
        return Optional.of(new Slot(owner));
    }

    private synchronized void release(long owner) {
        running--;
        byOwner.computeIfPresent(owner, (id, count) -> count == 1 ? null : count - 1);
    }

    /** A taken slot; closing it gives it back, once. */
    public final class Slot implements AutoCloseable {

        private final long owner;
        private boolean released;

        private Slot(long owner) {
            this.owner = owner;
        }

        @Override
        public void close() {
            synchronized (SyncSlots.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            release(owner);
        }
    }
}
