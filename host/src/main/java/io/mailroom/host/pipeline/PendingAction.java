package io.mailroom.host.pipeline;

import io.mailroom.api.source.PostAction;

import java.time.Instant;

/**
 * A server action decided by its message's processing chain, not yet confirmed done: how often it
 * failed, when it may be tried again, and the last failure's reason.
 */
public record PendingAction(long id, long mailboxId, String folder, long uidValidity, String serverKey, String action,
                            String target, int attempts, Instant nextAttemptAt, String lastError) {

    public PostAction toPostAction() {
        return switch (action) {
            case "seen" -> new PostAction.MarkSeen(serverKey);
            case "flag" -> new PostAction.Flag(serverKey);
            case "move" -> new PostAction.MoveTo(serverKey, target);
            case "delete" -> new PostAction.Delete(serverKey);
            default -> throw new IllegalStateException("unknown action " + action);
        };
    }

    /** What the action does, for the poll log and the message: "move to Processed". */
    public String describe() {
        return new ServerAction(action, target).describe();
    }
}
