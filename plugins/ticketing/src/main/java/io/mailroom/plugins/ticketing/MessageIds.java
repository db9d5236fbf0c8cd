package io.mailroom.plugins.ticketing;

import io.mailroom.api.message.MessageView;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Message-IDs as the plugin stores and compares them: trimmed, without angle brackets. */
final class MessageIds {

    /** A reply's References can be long; the parents that matter are the last ones. */
    static final int MAX_REFERENCES = 50;

    private MessageIds() {
    }

    /** {@code <a@b>} as {@code a@b}; null or blank as null. */
    static String normalize(String messageId) {
        if (messageId == null) {
            return null;
        }
        String id = messageId.strip();
        if (id.startsWith("<")) {
            id = id.substring(1);
        }
        if (id.endsWith(">")) {
            id = id.substring(0, id.length() - 1);
        }
        id = id.strip();
        return id.isEmpty() ? null : id;
    }

    /** The message's In-Reply-To and its last {@value #MAX_REFERENCES} References, normalized, once each. */
    static List<String> parentsOf(MessageView message) {
        Set<String> parents = new LinkedHashSet<>();
        add(parents, message.inReplyTo());
        List<String> references = message.references();
        for (int i = references.size() - 1; i >= 0 && parents.size() <= MAX_REFERENCES; i--) {
            add(parents, references.get(i));
        }
        return new ArrayList<>(parents);
    }

    /**
     * The first Message-ID of the message's conversation as far as it tells: its first References,
     * else its In-Reply-To, else {@code header} (its own). A parent and a reply that names it share
     * it, so their filings can be made one after the other. Null when the message names none.
     */
    static String rootOf(MessageView message, String header) {
        for (String reference : message.references()) {
            String id = normalize(reference);
            if (id != null) {
                return id;
            }
        }
        String inReplyTo = normalize(message.inReplyTo());
        return inReplyTo != null ? inReplyTo : header;
    }

    private static void add(Set<String> ids, String raw) {
        String id = normalize(raw);
        if (id != null) {
            ids.add(id);
        }
    }
}
