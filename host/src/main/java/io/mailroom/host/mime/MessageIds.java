package io.mailroom.host.mime;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Message ids from Message-ID, In-Reply-To and References, without angle brackets. Real headers
 * carry comments, quoted display text ({@code In-Reply-To: <a@b> (Joe's message of ...)}), ids
 * without brackets and folding inside an id; ids are taken in order and de-duplicated.
 */
final class MessageIds {

    /** References can grow without end in a long thread: keep the first and the most recent ones. */
    static final int MAX_REFERENCES = 100;
    /**
     * RFC 5322's line limit, in UTF-8 bytes: ids are indexed (a PostgreSQL btree entry holds at most
     * about 2,700 bytes), and an id longer than a line is not an id. It is dropped rather than cut,
     * so that two long ids sharing a beginning do not join two threads.
     */
    static final int MAX_ID_BYTES = 998;

    private MessageIds() {
    }

    /** The first id, or null when there is none. */
    static String first(String raw) {
        List<String> ids = all(raw);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** Every id in order, de-duplicated. */
    static List<String> all(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        int i = 0;
        while ((i = raw.indexOf('<', i)) >= 0) {
            int end = raw.indexOf('>', i + 1);
            if (end < 0) {
                end = raw.length(); // truncated: take the rest
            }
            add(ids, raw.substring(i + 1, end));
            i = end + 1;
        }
        if (ids.isEmpty()) {
            for (String token : raw.trim().split("[\\s,]+")) {
                if (token.contains("@")) {
                    add(ids, token);
                }
            }
            if (ids.isEmpty() && !raw.trim().contains(" ")) {
                add(ids, raw);
            }
        }
        return List.copyOf(ids);
    }

    /** References trimmed to {@link #MAX_REFERENCES}: the first (the thread's root) and the newest. */
    static List<String> references(List<String> ids) {
        if (ids.size() <= MAX_REFERENCES) {
            return ids;
        }
        List<String> kept = new ArrayList<>(MAX_REFERENCES);
        kept.add(ids.get(0));
        kept.addAll(ids.subList(ids.size() - (MAX_REFERENCES - 1), ids.size()));
        return List.copyOf(kept);
    }

    private static void add(Set<String> ids, String candidate) {
        String id = RawHeaders.withoutControls(candidate).replace(" ", "").replace("\"", "");
        if (!id.isEmpty() && id.length() <= MAX_ID_BYTES
                && java.nio.charset.StandardCharsets.UTF_8.encode(id).remaining() <= MAX_ID_BYTES) {
            ids.add(id);
        }
    }
}
