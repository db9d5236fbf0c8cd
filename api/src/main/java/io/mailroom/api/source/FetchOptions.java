package io.mailroom.api.source;

import java.time.Instant;
import java.util.Objects;

/**
 * How to choose the messages to read.
 *
 * @param notBefore  skip messages received before this instant (the mailbox's first-sync window), or null
 * @param unreadOnly read only messages without {@code \Seen}
 * @param known      the host's record of what is already stored, for sources whose cursor is
 *                   a set of keys (POP3 UIDL) rather than a position
 */
public record FetchOptions(Instant notBefore, boolean unreadOnly, KnownMessages known) {

    public FetchOptions {
        Objects.requireNonNull(known, "known");
    }

    /** Answers whether a message key is already stored in this folder. */
    @FunctionalInterface
    public interface KnownMessages {
        boolean contains(String serverKey);
    }
}
