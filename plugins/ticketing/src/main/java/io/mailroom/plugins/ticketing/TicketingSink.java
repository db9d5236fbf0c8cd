package io.mailroom.plugins.ticketing;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.PermanentException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.sink.TicketSink;

import java.util.List;

/** The {@code ticketing} sink: turns inbound conversations into helpdesk tickets. */
public final class TicketingSink implements TicketSink {

    @Override
    public String id() {
        return "ticketing";
    }

    @Override
    public String name() {
        return "Tickets";
    }

    @Override
    public List<SettingDescriptor> mailboxSettings() {
        return List.of(
                SettingDescriptor.optional("ref_prefix", SettingType.STRING, "TCK",
                        "The prefix of ticket references (TCK-91)."),
                SettingDescriptor.optional("reopen_closed", SettingType.BOOLEAN, "true",
                        "Whether a reply to a closed ticket reopens it instead of opening a new one."));
    }

    @Override
    public Outcome deliver(MessageView message, Settings settings, ExtensionContext context) {
        throw new PermanentException("ticket creation is not implemented in this version");
    }
}
