package io.mailroom.api.source;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

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

    /** Answers whether message keys are already stored in this folder. */
    @FunctionalInterface
    public interface KnownMessages {

        boolean contains(String serverKey);

        /** The keys among {@code serverKeys} that are stored; the host answers in one look-up. */
        default Set<String> knownAmong(Collection<String> serverKeys) {
            Set<String> known = new HashSet<>();
            for (String key : serverKeys) {
                if (contains(key)) {
                    known.add(key);
                }
            }
            return known;
        }
    }
}
