package io.mailroom.api.message;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A stored, parsed message as filters, rule actions and sinks see it. Immutable; the host builds
 * it after the message is committed, so its {@code id} is final.
 *
 * @param headers every header by lower-case name, values in order, decoded
 * @param text    the plain-text body (derived from HTML when the message has none)
 */
public record MessageView(long id, long mailboxId, String folder, String messageId, String inReplyTo,
                          List<String> references, Long threadId, Address from, List<Address> to,
                          List<Address> cc, String subject, Instant date, Map<String, List<String>> headers,
                          String text, Classification classification, Set<String> flags, Set<String> tags,
                          List<AttachmentInfo> attachments) {

    public MessageView {
        references = List.copyOf(references);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        headers = Map.copyOf(headers);
        flags = Set.copyOf(flags);
        tags = Set.copyOf(tags);
        attachments = List.copyOf(attachments);
    }

    /** The header's values, empty when absent; the name is case-insensitive. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}
