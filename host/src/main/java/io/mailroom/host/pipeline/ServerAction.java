package io.mailroom.host.pipeline;

import io.mailroom.api.Effect;
import io.mailroom.host.mailboxes.Mailbox;

import java.util.ArrayList;
import java.util.List;

/**
 * A change to make to a message on its server, as {@code pending_actions} stores it: {@code seen},
 * {@code flag}, {@code move} to {@code target}, or {@code delete}.
 */
record ServerAction(String action, String target) {

    /**
     * The server actions the end of a message's chain decides: what the effects ask for, and the
     * mailbox's own {@code mark_as_read} and {@code move_processed_to} when {@code mailboxActions};
     * a rule's move is the more specific wish and wins over the mailbox's processed folder.
     * Nothing the message already is (read, flagged, in that folder).
     */
    static List<ServerAction> decide(Mailbox mailbox, String folder, List<String> flags, List<Effect> effects,
                                     boolean mailboxActions) {
        List<ServerAction> actions = new ArrayList<>();
        boolean seen = effects.stream().anyMatch(e -> e instanceof Effect.MarkSeen) || mailboxActions && mailbox.markAsRead();
        if (seen && !flags.contains("\\Seen")) {
            actions.add(new ServerAction("seen", null));
        }
        if (effects.stream().anyMatch(e -> e instanceof Effect.Flag) && !flags.contains("\\Flagged")) {
            actions.add(new ServerAction("flag", null));
        }
        String move = effects.stream().filter(e -> e instanceof Effect.MoveTo).map(e -> ((Effect.MoveTo) e).folder())
                .reduce((first, last) -> last).orElse(mailboxActions ? mailbox.moveProcessedTo() : null);
        if (move != null && !move.equals(folder)) {
            actions.add(new ServerAction("move", move));
        }
        return actions;
    }

    /** What the actions do, for the poll log and the message: "mark as read; move to Processed (queued for the server)". */
    static String describeQueued(List<ServerAction> actions) {
        return String.join("; ", actions.stream().map(ServerAction::describe).toList()) + " (queued for the server)";
    }

    /** What the action does: "move to Processed". */
    String describe() {
        return switch (action) {
            case "seen" -> "mark as read";
            case "flag" -> "flag";
            case "move" -> "move to " + target;
            case "delete" -> "delete";
            default -> action;
        };
    }
}
