package io.mailroom.api.source;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to choose the messages to read.
 *
 * @param notBefore  skip messages received before this instant (the mailbox's first-sync window), or null.
 *                   A source whose server keeps no dates (POP3) does not read the messages' own
 *                   dates to apply it: it hands over every new message with no
 *                   {@link RawMessage#internalDate()}, and the host applies the window by the
 *                   date it parses, remembering an older message as skipped
 * @param unreadOnly read only messages without {@code \Seen}
 * @param known      the host's record of what is already stored, for sources whose cursor is
 *                   a set of keys (POP3 UIDL) rather than a position
 * @param maxMessageSize the largest message the host stores, in bytes. A source stops reading a
 *                   message once it has more than this many bytes, and hands it over with the
 *                   bytes read so far (at least {@code maxMessageSize + 1}); the host records
 *                   such a message as skipped and never stores it. The bytes actually read
 *                   decide, not the size the server announced, and a source never buffers more.
 */
public record FetchOptions(Instant notBefore, boolean unreadOnly, KnownMessages known, long maxMessageSize) {

    /** No limit on message size. */
    public static final long UNLIMITED = Long.MAX_VALUE - 1;

    public FetchOptions {
        Objects.requireNonNull(known, "known");
        if (maxMessageSize < 1 || maxMessageSize > UNLIMITED) {
            throw new IllegalArgumentException("maxMessageSize must be between 1 and " + UNLIMITED + ", was " + maxMessageSize);
        }
    }

    /** Options without a size limit. */
    public FetchOptions(Instant notBefore, boolean unreadOnly, KnownMessages known) {
        this(notBefore, unreadOnly, known, UNLIMITED);
    }

    /** How many bytes of a message a source reads at most: one more than the limit, so the host sees it is over. */
    public long readLimit() {
        return maxMessageSize + 1;
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

        /**
         * When each stored message among {@code serverKeys} was sent, as the host read it from
         * the message (its Date header, else its newest Received line); a key the host stored
         * no message for is left out. For sources whose server keeps no dates (POP3), so that
         * they never parse mail themselves. The default knows no dates.
         */
        default Map<String, Instant> sentAmong(Collection<String> serverKeys) {
            return Map.of();
        }
    }
}
