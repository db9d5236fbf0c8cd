package io.mailroom.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rule action or a sink did with a message: stored on the message's history and shown
 * to admins, with the {@link Effect}s the host is to apply.
 *
 * @param status what happened
 * @param detail one sentence for the admin, never a secret
 * @param data    values for later steps and the API (a ticket's {@code ref}), JSON-compatible
 * @param effects changes the host is to make to the message (tag it, mark it read, move it), in order
 */
public record Outcome(Status status, String detail, Map<String, Object> data, List<Effect> effects) {

    public enum Status {
        /** The work was done. */
        DONE,
        /** Nothing to do for this message (a condition did not hold, a loop was prevented). */
        SKIPPED
    }

    public Outcome {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
        data = Map.copyOf(data);
        effects = List.copyOf(effects);
    }

    /** An outcome without effects. */
    public Outcome(Status status, String detail, Map<String, Object> data) {
        this(status, detail, data, List.of());
    }

    /** This outcome, asking the host for {@code more} effects after its own. */
    public Outcome withEffects(Effect... more) {
        List<Effect> all = new java.util.ArrayList<>(effects);
        all.addAll(List.of(more));
        return new Outcome(status, detail, data, all);
    }

    public static Outcome done(String detail) {
        return new Outcome(Status.DONE, detail, Map.of());
    }

    public static Outcome done(String detail, Map<String, Object> data) {
        return new Outcome(Status.DONE, detail, data);
    }

    public static Outcome skipped(String detail) {
        return new Outcome(Status.SKIPPED, detail, Map.of());
    }
}
