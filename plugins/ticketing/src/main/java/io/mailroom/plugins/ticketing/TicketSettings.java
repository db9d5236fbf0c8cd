package io.mailroom.plugins.ticketing;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;

import java.util.List;

/**
 * A mailbox's settings for the {@code ticketing} sink.
 *
 * @param ackTemplateId    the template of acknowledgements, or null for the built-in text
 * @param closedTemplateId the template of the answer to a reply to a closed ticket, or null for the built-in text
 */
record TicketSettings(String refPrefix, boolean acknowledge, Long ackTemplateId, Long closedTemplateId,
                      boolean createForUnknownSenders) {

    static final String DEFAULT_PREFIX = "TCK";
    /** Letters and digits only: the subject scan and references stay simple and unambiguous. */
    private static final int MAX_PREFIX = 16;

    static List<SettingDescriptor> descriptors() {
        return List.of(
                SettingDescriptor.optional("ref_prefix", SettingType.STRING, DEFAULT_PREFIX,
                        "The prefix of ticket references (TCK-91): 1 to 16 letters or digits."),
                SettingDescriptor.optional("acknowledge", SettingType.BOOLEAN, "true",
                        "Whether a new ticket is acknowledged to its sender, with the reference in the subject."),
                SettingDescriptor.optional("ack_template_id", SettingType.INTEGER, null,
                        "The template of acknowledgements; a built-in text when empty."),
                SettingDescriptor.optional("closed_template_id", SettingType.INTEGER, null,
                        "The template of the answer to a reply to a closed ticket; a built-in text when empty."),
                SettingDescriptor.optional("create_for_unknown_senders", SettingType.BOOLEAN, "false",
                        "Whether mail from a sender of no known contact, company or mailbox company makes a ticket;"
                                + " otherwise it is flagged and left for review."));
    }

    static TicketSettings from(Settings settings) {
        String prefix = settings.find("ref_prefix").map(String::strip).orElse(DEFAULT_PREFIX);
        if (!validPrefix(prefix)) {
            throw new io.mailroom.api.PermanentException(
                    "setting ref_prefix must be 1 to " + MAX_PREFIX + " letters or digits");
        }
        return new TicketSettings(prefix,
                settings.find("acknowledge").map(Boolean::parseBoolean).orElse(true),
                settings.find("ack_template_id").filter(value -> !value.isBlank()).map(Long::parseLong).orElse(null),
                settings.find("closed_template_id").filter(value -> !value.isBlank()).map(Long::parseLong).orElse(null),
                settings.find("create_for_unknown_senders").map(Boolean::parseBoolean).orElse(false));
    }

    static boolean validPrefix(String prefix) {
        if (prefix.isEmpty() || prefix.length() > MAX_PREFIX) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }
}
