package io.mailroom.api.source;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A message as the server holds it, before parsing.
 *
 * @param serverKey    the key that names it in its folder: the UID for IMAP, the UIDL for POP3
 * @param uid          the IMAP UID, or 0 where the protocol has none
 * @param internalDate when the server received it, or null when unknown
 * @param flags        the server's flags ({@code \Seen}…), empty where the protocol has none
 * @param content      the bytes, exactly as the server sent them
 */
public record RawMessage(String serverKey, long uid, Instant internalDate, Set<String> flags, RawContent content) {

    public RawMessage {
        Objects.requireNonNull(serverKey, "serverKey");
        Objects.requireNonNull(content, "content");
        flags = Set.copyOf(flags);
    }
}
