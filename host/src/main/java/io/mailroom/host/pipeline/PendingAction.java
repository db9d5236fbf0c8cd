package io.mailroom.host.pipeline;

import io.mailroom.api.source.PostAction;

/** A server action decided when its message was stored, not yet confirmed done. */
public record PendingAction(long id, long mailboxId, String folder, long uidValidity, String serverKey, String action,
                            String target) {

    public PostAction toPostAction() {
        return switch (action) {
            case "seen" -> new PostAction.MarkSeen(serverKey);
            case "move" -> new PostAction.MoveTo(serverKey, target);
            case "delete" -> new PostAction.Delete(serverKey);
            default -> throw new IllegalStateException("unknown action " + action);
        };
    }
}
