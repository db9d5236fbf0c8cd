package io.mailroom.api;

import java.util.Objects;

/**
 * A change a rule action or a sink asks the host to make to the message, as part of its
 * {@link Outcome}: the host applies tags in Mailroom at once and turns the server changes into
 * post-actions run at the end of the processing chain, after the commit, idempotently.
 */
public sealed interface Effect {

    /** Adds a tag to the message in Mailroom. */
    record Tag(String tag) implements Effect {
        public Tag {
            Objects.requireNonNull(tag, "tag");
        }
    }

    /** Removes a tag from the message in Mailroom. */
    record Untag(String tag) implements Effect {
        public Untag {
            Objects.requireNonNull(tag, "tag");
        }
    }

    /** Marks the message read on the server. */
    record MarkSeen() implements Effect {
    }

    /** Flags the message on the server (IMAP {@code \Flagged}). */
    record Flag() implements Effect {
    }

    /** Moves the message to {@code folder} on the server; the last move asked for wins. */
    record MoveTo(String folder) implements Effect {
        public MoveTo {
            Objects.requireNonNull(folder, "folder");
        }
    }

    /** Hands the message to the sink {@code sinkId} instead of the mailbox's own sink. */
    record AssignSink(String sinkId) implements Effect {
        public AssignSink {
            Objects.requireNonNull(sinkId, "sinkId");
        }
    }
}
