package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.host.messages.StoredMessage;
import org.jsoup.nodes.Entities;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A forwarded message as the body of a forward: the forwarded-message block mail clients write
 * (From, Date, Subject, To, Cc of the original), then the original's text, or its sanitized html
 * (its escaped text when it has none). Every value from the original is one line in text and
 * escaped in html.
 */
final class ForwardedOriginal {

    static final String MARK = "---------- Forwarded message ----------";
    private static final int MAX_SUBJECT = 900;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE, d MMM yyyy 'at' HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ForwardedOriginal() {
    }

    /** The subject with one {@code Fwd:} in front (one already there, any case, is kept), on one line. */
    static String subject(String original) {
        String s = Reply.oneLine(original == null ? "" : original).strip();
        if (s.length() > MAX_SUBJECT) {
            s = s.substring(0, MAX_SUBJECT);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.startsWith("fwd:") || lower.startsWith("fw:") ? s : "Fwd: " + s;
    }

    /** The text body: the block and the original's text. */
    static String text(StoredMessage original) {
        StringBuilder out = new StringBuilder(block(original));
        out.append('\n').append(original.textBody() == null ? "" : original.textBody());
        return out.toString();
    }

    /** The html body: the block and the original's sanitized html, or its escaped text. */
    static String html(StoredMessage original) {
        StringBuilder out = new StringBuilder("<div class=\"forwarded\">");
        for (String line : block(original).split("\n")) {
            out.append(Entities.escape(line)).append("<br>");
        }
        out.append("</div>\n");
        out.append(original.htmlBody() != null ? original.htmlBody()
                : "<pre>" + Entities.escape(original.textBody() == null ? "" : original.textBody()) + "</pre>");
        return out.toString();
    }

    /** The body of a forward that carries the original as an attachment: the block alone. */
    static String note(StoredMessage original) {
        return block(original) + "\nThe original message is attached.\n";
    }

    /** A file name for the original as an attachment: its subject, cut, plus {@code .eml}. */
    static String filename(StoredMessage original) {
        String subject = Reply.oneLine(original.subject() == null ? "" : original.subject()).strip();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < subject.length() && name.length() < 60; i++) {
            char c = subject.charAt(i);
            name.append(c == '/' || c == '\\' || c == '"' || Character.isISOControl(c) ? '_' : c);
        }
        return (name.isEmpty() ? "message" : name.toString().strip()) + ".eml";
    }

    private static String block(StoredMessage original) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("From", who(original.fromName(), original.fromEmail()));
        if (original.sentAt() != null) {
            lines.put("Date", WHEN.format(original.sentAt()));
        }
        lines.put("Subject", original.subject() == null ? "" : original.subject());
        lines.put("To", addresses(original.toAddresses()));
        String cc = addresses(original.ccAddresses());
        if (!cc.isEmpty()) {
            lines.put("Cc", cc);
        }
        StringBuilder out = new StringBuilder(MARK).append('\n');
        lines.forEach((name, value) -> out.append(name).append(": ").append(Reply.oneLine(value)).append('\n'));
        return out.toString();
    }

    private static String who(String name, String email) {
        String address = email == null ? "" : email;
        return name == null || name.isBlank() ? address : name + " <" + address + ">";
    }

    private static String addresses(String json) {
        List<String> out = new ArrayList<>();
        try {
            for (JsonNode entry : JSON.readTree(json == null ? "[]" : json)) {
                out.add(who(entry.path("name").asText(null), entry.path("email").asText("")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored addresses are not JSON", e);
        }
        return String.join(", ", out);
    }
}
