package io.mailroom.host.pipeline;

import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.store.PendingActionDao;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Carries out the server actions stored with committed messages (mark seen, move), and forgets
 * them once the server confirmed. A failure leaves them for the next run; sources apply them
 * idempotently, so repeating one is harmless.
 */
final class PostActionRunner {

    private final Jdbi jdbi;

    PostActionRunner(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Runs the mailbox's pending actions; returns how many were done. */
    int run(SourceConnection connection, long mailboxId) {
        List<PendingAction> pending = jdbi.onDemand(PendingActionDao.class).forMailbox(mailboxId);
        Map<String, List<PendingAction>> byFolder = pending.stream()
                .collect(Collectors.groupingBy(action -> action.folder() + "\u0000" + action.uidValidity()));
        int done = 0;
        for (List<PendingAction> group : byFolder.values()) {
            PendingAction first = group.getFirst();
            connection.apply(first.folder(), first.uidValidity(), group.stream().map(PendingAction::toPostAction).toList());
            jdbi.onDemand(PendingActionDao.class).delete(group.stream().mapToLong(PendingAction::id).toArray());
            done += group.size();
        }
        return done;
    }
}
