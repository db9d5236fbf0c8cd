package io.mailroom.host.rules.actions;

import io.mailroom.api.message.Address;
import io.mailroom.api.message.MessageView;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The variables an {@code auto_reply} template can use about the message it answers:
 * {@code subject}, {@code from_name}, {@code from_email}, {@code from} ({@code "Ann <ann@…>"}),
 * {@code to} and {@code cc} (comma-separated), {@code date} ({@code Mon, 1 Dec 2026 09:30 UTC}),
 * {@code date_iso}, {@code message_id}, {@code id}, {@code mailbox_id}, {@code folder}. A value
 * the message lacks is empty text, so a template never reports it missing.
 */
final class MessageVariables {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private MessageVariables() {
    }

    static Map<String, Object> of(MessageView message) {
        Map<String, Object> values = new HashMap<>();
        Address from = message.from();
        values.put("subject", text(message.subject()));
        values.put("from_name", from == null ? "" : from.name());
        values.put("from_email", from == null ? "" : from.email());
        values.put("from", from == null ? "" : shown(from));
        values.put("to", list(message.to()));
        values.put("cc", list(message.cc()));
        values.put("date", message.date() == null ? "" : DATE.format(message.date()));
        values.put("date_iso", message.date() == null ? "" : message.date().toString());
        values.put("message_id", text(message.messageId()));
        values.put("id", message.id());
        values.put("mailbox_id", message.mailboxId());
        values.put("folder", text(message.folder()));
        return values;
    }

    private static String shown(Address address) {
        return address.name().isBlank() ? address.email() : address.name() + " <" + address.email() + ">";
    }

    private static String list(List<Address> addresses) {
        return addresses.stream().map(MessageVariables::shown).collect(Collectors.joining(", "));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
