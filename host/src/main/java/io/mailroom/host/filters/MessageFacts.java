package io.mailroom.host.filters;

import io.mailroom.api.message.Address;
import io.mailroom.host.mime.ParsedAttachment;
import io.mailroom.host.mime.ParsedMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A message as a filter sees it: each field's values, typed as its {@link io.mailroom.api.filter.FieldType}
 * says. Built from a parse, so a sync (before anything is stored) and a preview (of stored mail,
 * parsed again) see the same values.
 *
 * @param folder         where the message is on the server
 * @param classification the classifier's id ({@code normal}, {@code bulk}, {@code auto_reply}…)
 * @param direction      {@code inbound} or {@code outbound}
 * @param receivedAt     the server's arrival date: {@code date} when the message has none of its own
 */
public record MessageFacts(ParsedMessage parsed, String folder, String classification, String direction,
                           List<String> tags, long size, Instant receivedAt, SenderFacts senders) {

    public MessageFacts {
        Objects.requireNonNull(parsed, "parsed");
        tags = tags == null ? List.of() : List.copyOf(tags);
        senders = senders == null ? SenderFacts.NONE : senders;
    }

    /** The values of a field {@link FilterField} knows; none for a field without a value here. */
    public List<?> values(String field) {
        if (field.startsWith("header:")) {
            return parsed.header(field.substring("header:".length()));
        }
        String sender = parsed.from() == null ? null : parsed.from().email();
        return switch (field) {
            case "from" -> sender == null ? List.of() : List.of(sender);
            case "from_name" -> parsed.from() == null || parsed.from().name().isBlank() ? List.of()
                    : List.of(parsed.from().name());
            case "from_domain" -> sender == null || sender.indexOf('@') < 0 ? List.of()
                    : List.of(sender.substring(sender.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
            case "to" -> emails(parsed.to());
            case "cc" -> emails(parsed.cc());
            case "recipients" -> recipients();
            case "subject" -> List.of(parsed.subject());
            case "body" -> List.of(parsed.text());
            case "has_attachment" -> List.of(!parsed.attachments().isEmpty());
            case "attachment_name" -> parsed.attachments().stream().map(ParsedAttachment::filename)
                    .filter(Objects::nonNull).toList();
            case "attachment_type" -> parsed.attachments().stream().map(ParsedAttachment::contentType)
                    .filter(Objects::nonNull).map(type -> type.toLowerCase(Locale.ROOT)).toList();
            case "size" -> List.of(size);
            case "date" -> parsed.date() != null ? List.of(parsed.date()) : receivedAt != null ? List.of(receivedAt) : List.of();
            case "folder" -> folder == null ? List.of() : List.of(folder);
            case "classification" -> classification == null ? List.of() : List.of(classification);
            case "direction" -> direction == null ? List.of() : List.of(direction);
            case "tags" -> tags;
            case "sender_is_contact" -> List.of(sender != null && senders.isContact(sender));
            case "sender_company" -> sender == null ? List.of() : senders.company(sender).map(List::of).orElse(List.of());
            default -> throw new IllegalArgumentException("no field " + field);
        };
    }

    /** Every address the message is to (To, Cc, Bcc). */
    public List<String> recipients() {
        List<String> all = new ArrayList<>(emails(parsed.to()));
        all.addAll(emails(parsed.cc()));
        all.addAll(emails(parsed.bcc()));
        return all;
    }

    private static List<String> emails(List<Address> addresses) {
        return addresses.stream().map(Address::email).toList();
    }
}
