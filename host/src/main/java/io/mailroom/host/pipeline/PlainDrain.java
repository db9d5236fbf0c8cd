package io.mailroom.host.pipeline;

import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.messages.ProcessingStepDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The chains of a mailbox without rules or sink, a few hundred messages per transaction: their
 * only step is the mailbox's own post-actions, so those are queued and the queue rows deleted at
 * once, and a large import is not followed by one round trip per message.
 */
public final class PlainDrain {

    /** Messages taken off the queue per transaction. */
    static final int BATCH = 500;

    private final Jdbi jdbi;
    private final Clock clock;

    public PlainDrain(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Drains the mailbox's first-run queue rows until none is left or {@code deadline} passes. */
    void drain(long mailboxId, Instant deadline) {
        Mailbox mailbox = jdbi.onDemand(MailboxDao.class).find(mailboxId).orElse(null);
        if (mailbox == null) {
            return;
        }
        while (clock.instant().isBefore(deadline)) {
            int taken = jdbi.inTransaction(handle -> takeBatch(handle, mailbox));
            if (taken < BATCH) {
                return;
            }
        }
    }

    private int takeBatch(Handle handle, Mailbox mailbox) {
        List<ProcessingQueueDao.Plain> plain = handle.attach(ProcessingQueueDao.class)
                .takePlain(mailbox.id(), clock.instant(), BATCH);
        List<Planned> planned = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (ProcessingQueueDao.Plain message : plain) {
            if (message.deletedOnServer() || message.serverKey().startsWith("outbound:")) {
                continue;
            }
            List<ServerAction> actions = ServerAction.decide(mailbox, message.folder(), message.flags(), List.of(), true);
            for (ServerAction action : actions) {
                planned.add(new Planned(message.folder(), message.uidValidity(), message.serverKey(), action));
            }
            if (!actions.isEmpty()) {
                ids.add(message.messageId());
                details.add(ServerAction.describeQueued(actions));
            }
        }
        queue(handle, mailbox.id(), planned);
        if (!ids.isEmpty()) {
            handle.attach(ProcessingStepDao.class).recordPostActions(ids.toArray(Long[]::new),
                    details.toArray(String[]::new));
        }
        return plain.size();
    }

    /** A server action planned for a message at its place. */
    private record Planned(String folder, long validity, String serverKey, ServerAction action) {
    }

    /** Queues the planned actions with one statement per folder and UIDVALIDITY. */
    private static void queue(Handle handle, long mailboxId, List<Planned> planned) {
        Map<List<Object>, List<Planned>> byPlace = planned.stream().collect(Collectors.groupingBy(
                p -> List.of(p.folder(), p.validity()), LinkedHashMap::new, Collectors.toList()));
        for (List<Planned> place : byPlace.values()) {
            Planned first = place.getFirst();
            handle.attach(PendingActionDao.class).insertAll(mailboxId, first.folder(), first.validity(),
                    place.stream().map(Planned::serverKey).toArray(String[]::new),
                    place.stream().map(p -> p.action().action()).toArray(String[]::new),
                    place.stream().map(p -> p.action().target()).toArray(String[]::new));
        }
    }
}
