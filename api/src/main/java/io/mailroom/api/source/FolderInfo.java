package io.mailroom.api.source;

import java.util.Set;

/**
 * A folder on the server.
 *
 * @param name       the full name, with the server's separator ({@code INBOX/Archive})
 * @param attributes attributes as the server names them, special-use included ({@code \Sent})
 * @param messages   how many messages it holds, or -1 when the server did not say
 */
public record FolderInfo(String name, Set<String> attributes, long messages) {

    public FolderInfo {
        attributes = Set.copyOf(attributes);
    }
}
