package io.mailroom.host.mime;

import io.mailroom.api.message.Address;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A message as {@link MessageParser} read it.
 *
 * @param messageId   the Message-ID without angle brackets, or null when the message has none
 * @param inReplyTo   the first id of In-Reply-To, or null
 * @param references  the References ids in order, de-duplicated (at most {@value MessageIds#MAX_REFERENCES})
 * @param from        the first From address (Sender when From is missing), or null
 * @param subject     decoded, whitespace collapsed; empty when missing
 * @param date        from Date; else from the newest Received header; null when neither is readable
 * @param headers     every header by lower-case name, values decoded and in order (over-long values left out)
 * @param contentType the top-level MIME type without parameters, e.g. {@code multipart/report}
 * @param text        the plain-text body, derived from the HTML when there is no text part; empty, never null
 * @param html        the sanitized HTML body, or null when the message has none
 * @param size        the size of the raw message in bytes
 * @param warnings    what was repaired or left out while parsing, for logs and support; empty for clean mail
 * @param cut         true when a limit or the parse budget left something out (see the warnings): the
 *                    raw message holds all of it, this record only what could be parsed within the bounds
 */
public record ParsedMessage(String messageId, String inReplyTo, List<String> references, Address from,
                            List<Address> to, List<Address> cc, List<Address> bcc, List<Address> replyTo,
                            String subject, Instant date, Map<String, List<String>> headers, String contentType,
                            String text, String html, List<ParsedAttachment> attachments, long size,
                            List<String> warnings, boolean cut) implements AutoCloseable {

    public ParsedMessage {
        references = List.copyOf(references);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        replyTo = List.copyOf(replyTo);
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers)); // keeps the message's order
        attachments = List.copyOf(attachments);
        warnings = List.copyOf(warnings);
    }

    /** A message parsed whole, within every bound. */
    public ParsedMessage(String messageId, String inReplyTo, List<String> references, Address from,
                         List<Address> to, List<Address> cc, List<Address> bcc, List<Address> replyTo,
                         String subject, Instant date, Map<String, List<String>> headers, String contentType,
                         String text, String html, List<ParsedAttachment> attachments, long size,
                         List<String> warnings) {
        this(messageId, inReplyTo, references, from, to, cc, bcc, replyTo, subject, date, headers, contentType,
                text, html, attachments, size, warnings, false);
    }

    /** The header's decoded values, empty when absent; the name is case-insensitive. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The header's first decoded value, or null. */
    public String firstHeader(String name) {
        List<String> values = header(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * Holds nothing to release since attachments are no longer spooled (they are read again from
     * the raw message); kept so that the callers' try-with-resources need not change.
     */
    @Override
    public void close() {
    }
}
