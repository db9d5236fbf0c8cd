package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.host.messages.StoredMessage;
import jakarta.mail.internet.InternetAddress;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What answering a stored message means: who it goes to, its subject with one {@code Re:}, and
 * the threading headers (RFC 5322 3.6.4) that place it in the same thread on both sides.
 */
record Reply(List<InternetAddress> to, List<InternetAddress> cc) {

    /** References keep the thread's root and the most recent ones, so the header stays short. */
    static final int MAX_REFERENCES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The original sender (for a message the mailbox sent itself: its recipients); with
     * {@code all}, everyone else on it in Cc, never the mailbox itself.
     */
    static Reply to(StoredMessage original, String ownAddress, boolean all) {
        String own = ownAddress.toLowerCase(Locale.ROOT);
        Map<String, InternetAddress> to = new LinkedHashMap<>();
        Map<String, InternetAddress> cc = new LinkedHashMap<>();
        boolean ownMessage = "outbound".equals(original.direction())
                || original.fromEmail() != null && original.fromEmail().equalsIgnoreCase(own);
        if (ownMessage) {
            addresses(original.toAddresses()).forEach(a -> put(to, a, own));
        } else if (original.fromEmail() != null) {
            put(to, Recipients.named(original.fromEmail(), oneLine(original.fromName())), own);
        }
        if (all) {
            if (!ownMessage) {
                addresses(original.toAddresses()).forEach(a -> put(cc, a, own));
            }
            addresses(original.ccAddresses()).forEach(a -> put(cc, a, own));
            to.keySet().forEach(cc::remove);
        }
        return new Reply(List.copyOf(to.values()), List.copyOf(cc.values()));
    }

    /** The subject with a single {@code Re:}: one already there (any case) is kept, not doubled. */
    static String subject(String subject) {
        String s = subject == null ? "" : subject.strip();
        if (s.regionMatches(true, 0, "re:", 0, 3) || s.regionMatches(true, 0, "re :", 0, 4)) {
            return s;
        }
        return "Re: " + s;
    }

    /**
     * A stored message id as a header writes it, in angle brackets: ingest stores ids without them
     * (as {@code MessageIds} reads them), the outbox with them.
     */
    static String bracketed(String id) {
        if (id == null || id.isBlank()) {
            return null;
        }
        String stripped = id.strip();
        return stripped.startsWith("<") ? stripped : "<" + stripped + ">";
    }

    /** The original's references and its own Message-ID, first ones and last ones kept when long. */
    static List<String> references(StoredMessage original) {
        List<String> refs = new ArrayList<>();
        for (String ref : original.refs() == null ? List.<String>of() : original.refs()) {
            refs.add(bracketed(ref));
        }
        String own = bracketed(original.messageId());
        if (own != null && !refs.contains(own)) {
            refs.add(own);
        }
        refs.removeIf(ref -> ref == null || HeaderText.hasControl(ref) || !ref.startsWith("<") || !ref.endsWith(">")
                || ref.indexOf(' ') >= 0);
        if (refs.size() > MAX_REFERENCES) {
            List<String> kept = new ArrayList<>();
            kept.add(refs.getFirst());
            kept.addAll(refs.subList(refs.size() - (MAX_REFERENCES - 1), refs.size()));
            refs = kept;
        }
        return List.copyOf(refs);
    }

    /** A stored header value as one line: line breaks and NUL become spaces. */
    static String oneLine(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
        }
        return out.toString();
    }

    private static void put(Map<String, InternetAddress> into, InternetAddress address, String own) {
        String key = address.getAddress().toLowerCase(Locale.ROOT);
        if (!key.equals(own)) {
            into.putIfAbsent(key, address);
        }
    }

    private static List<InternetAddress> addresses(String json) {
        List<InternetAddress> out = new ArrayList<>();
        try {
            JsonNode list = JSON.readTree(json == null ? "[]" : json);
            for (JsonNode entry : list) {
                String email = entry.path("email").asText(null);
                if (email != null && email.indexOf('@') > 0 && !HeaderText.hasControl(email)) {
                    out.add(Recipients.named(email, oneLine(entry.path("name").asText(null))));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored addresses are not JSON", e);
        }
        return out;
    }
}
