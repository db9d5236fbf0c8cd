package io.mailroom.host.outbound;

import io.mailroom.host.messages.StoredMessage;
import org.jsoup.nodes.Entities;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The original message quoted below a reply (and below its signature): text lines prefixed with
 * {@code "> "}, html in a {@code <blockquote type="cite">} of the original's sanitized html (or
 * its escaped text), after an attribution line.
 */
final class QuotedOriginal {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE, d MMM yyyy 'at' HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private QuotedOriginal() {
    }

    static String text(String body, StoredMessage original) {
        if (body == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(body).append("\n\n").append(attribution(original)).append('\n');
        String quoted = original.textBody() == null ? "" : original.textBody();
        for (String line : quoted.split("\r?\n", -1)) {
            out.append(line.isEmpty() || line.startsWith(">") ? ">" : "> ").append(line).append('\n');
        }
        return out.toString();
    }

    static String html(String body, StoredMessage original) {
        if (body == null) {
            return null;
        }
        String quoted = original.htmlBody() != null ? original.htmlBody()
                : "<pre>" + Entities.escape(original.textBody() == null ? "" : original.textBody()) + "</pre>";
        return body + "\n<div class=\"quote\">" + Entities.escape(attribution(original))
                + "<blockquote type=\"cite\">" + quoted + "</blockquote></div>";
    }

    private static String attribution(StoredMessage original) {
        String who = original.fromName() != null && !original.fromName().isBlank()
                ? Reply.oneLine(original.fromName()) + " <" + original.fromEmail() + ">" : String.valueOf(original.fromEmail());
        return original.sentAt() == null ? who + " wrote:" : "On " + WHEN.format(original.sentAt()) + ", " + who + " wrote:";
    }
}
