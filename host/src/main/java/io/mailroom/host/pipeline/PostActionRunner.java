package io.mailroom.host.pipeline;

import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.mailboxes.PollDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Carries out the server actions stored with committed messages (mark seen, move), and forgets
 * them once the server confirmed. Sources apply them idempotently, so repeating one is harmless.
 *
 * <p>An action that fails never stops the sync: it is tried again at a later run, after a
 * back-off that doubles from {@link #FIRST_RETRY} with each failure, and given up after
 * {@link #MAX_ATTEMPTS} attempts (about two hours), the reason then kept on each message
 * ({@code post_action_error}) and in the poll log. Actions are grouped by folder, kind and
 * target, so a move the server refuses does not hold up marking the same messages read.
 */
public final class PostActionRunner {

    static final int MAX_ATTEMPTS = 8;
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(PostActionRunner.class);

    private final Jdbi jdbi;
    private final Clock clock;

    public PostActionRunner(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Runs the mailbox's pending actions that are due; returns how many were done. Never throws for a failed action. */
    int run(SourceConnection connection, long mailboxId, long pollId) {
        List<PendingAction> due = jdbi.onDemand(PendingActionDao.class).due(mailboxId, clock.instant());
        Map<String, List<PendingAction>> groups = due.stream().collect(Collectors.groupingBy(
                action -> action.folder() + "\u0000" + action.uidValidity() + "\u0000" + action.action() + "\u0000"
                        + action.target(), LinkedHashMap::new, Collectors.toList()));
        int done = 0;
        for (List<PendingAction> group : groups.values()) {
            PendingAction first = group.getFirst();
            long[] ids = group.stream().mapToLong(PendingAction::id).toArray();
            try {
                connection.apply(first.folder(), first.uidValidity(), group.stream().map(PendingAction::toPostAction).toList());
            } catch (RuntimeException e) {
                failed(group, ids, pollId, FailureReason.of(e));
                continue;
            }
            jdbi.useTransaction(handle -> {
                handle.attach(PendingActionDao.class).delete(ids);
                if (first.action().equals("move") || first.action().equals("delete")) {
                    // moved or deleted by us: that place is gone, so the same bytes found in the
                    // target folder are this message moved, not a second copy
                    handle.attach(MessageDao.class).markDeletedOnServer(first.mailboxId(), first.folder(),
                            first.uidValidity(), group.stream().map(PendingAction::serverKey).toArray(String[]::new));
                }
            });
            done += group.size();
        }
        return done;
    }

    private void failed(List<PendingAction> group, long[] ids, long pollId, String reason) {
        PendingAction first = group.getFirst();
        int attempts = group.stream().mapToInt(PendingAction::attempts).max().orElse(0) + 1;
        String what = first.describe() + " for " + group.size() + " message(s) of " + first.folder();
        if (attempts >= MAX_ATTEMPTS) {
            String error = first.describe() + " failed " + attempts + " times and was given up: " + reason;
            LOG.warn("Server action {} given up after {} attempts: {}", what, attempts, reason);
            jdbi.useTransaction(handle -> {
                handle.attach(PendingActionDao.class).delete(ids);
                handle.attach(MessageDao.class).recordPostActionError(first.mailboxId(), first.folder(),
                        first.uidValidity(), group.stream().map(PendingAction::serverKey).toArray(String[]::new), error);
                handle.attach(PollDao.class).addEvent(pollId, "server action " + what + " given up after " + attempts
                        + " attempts: " + reason);
            });
            return;
        }
        Instant next = clock.instant().plus(FIRST_RETRY.multipliedBy(1L << (attempts - 1)));
        LOG.warn("Server action {} failed (attempt {} of {}); tried again after {}: {}", what, attempts, MAX_ATTEMPTS,
                next, reason);
        jdbi.useTransaction(handle -> {
            handle.attach(PendingActionDao.class).failed(ids, next, reason);
            handle.attach(PollDao.class).addEvent(pollId, "server action " + what + " failed (attempt " + attempts
                    + " of " + MAX_ATTEMPTS + ", tried again after " + next + "): " + reason);
        });
    }
}
