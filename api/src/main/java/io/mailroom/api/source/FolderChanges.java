package io.mailroom.api.source;

import java.util.Map;
import java.util.Set;

/**
 * What changed on the server to messages stored before.
 *
 * @param flags    the new full flag set, by server key
 * @param expunged server keys of messages deleted on the server
 */
public record FolderChanges(Map<String, Set<String>> flags, Set<String> expunged) {

    public static final FolderChanges NONE = new FolderChanges(Map.of(), Set.of());

    public FolderChanges {
        flags = Map.copyOf(flags);
        expunged = Set.copyOf(expunged);
    }
}
