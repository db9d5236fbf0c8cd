package io.mailroom.api;

import java.util.Map;
import java.util.Objects;

/**
 * What a rule action or a sink did with a message: stored on the message's history and shown
 * to admins.
 *
 * @param status what happened
 * @param detail one sentence for the admin, never a secret
 * @param data   values for later steps and the API (a ticket's {@code ref}), JSON-compatible
 */
public record Outcome(Status status, String detail, Map<String, Object> data) {

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
