package io.mailroom.host.rules.actions;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.PermanentException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;
import io.mailroom.api.outbound.ForwardedMail;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;

import java.util.List;
import java.util.Map;

/**
 * {@code forward}: sends the message on to fixed addresses through the outbox, marked
 * {@code Auto-Submitted: auto-generated}. {@code mode} {@code inline} (the default) quotes its text
 * and html below a forwarded-message block, with its kept attachments unless {@code attachments}
 * is false; {@code attachment} sends the original whole, byte for byte, as a
 * {@code message/rfc822} part ({@code attachments} does not apply: nothing is taken out of it).
 * The call's idempotency key goes to the outbox, so a repeated call forwards once.
 */
final class ForwardMessage implements RuleAction {

    static final String INLINE = "inline";
    static final String ATTACHMENT = "attachment";

    @Override
    public String id() {
        return "forward";
    }

    @Override
    public String name() {
        return "Forward";
    }

    @Override
    public List<SettingDescriptor> dataSettings() {
        return List.of(
                SettingDescriptor.required("to", SettingType.LIST, "The addresses to forward to"),
                SettingDescriptor.choice("mode", INLINE, List.of(ATTACHMENT, INLINE),
                        "inline: the message quoted in the body; attachment: the original whole, as a message/rfc822 part"),
                SettingDescriptor.optional("attachments", SettingType.BOOLEAN, "true",
                        "Inline only: send the message's attachments along"));
    }

    @Override
    public void checkData(Settings data) {
        for (String address : data.getList("to")) {
            DataChecks.address("to", address);
        }
    }

    @Override
    public boolean sendsMail() {
        return true;
    }

    @Override
    public Outcome run(ActionCall call, ExtensionContext context) {
        Settings data = call.data();
        boolean asAttachment = ATTACHMENT.equals(data.find("mode").orElse(INLINE));
        boolean withAttachments = data.find("attachments").map(Boolean::parseBoolean).orElse(true);
        List<String> to = data.getList("to");
        try {
            long sent = context.outboundMail().forward(new ForwardedMail(call.message().mailboxId(), call.message().id(),
                    to, asAttachment, withAttachments, "auto-generated", call.idempotencyKey()));
            return Outcome.done("forwarded to " + String.join(", ", to) + (asAttachment ? " as an attachment" : ""),
                    Map.of("outbound_message_id", sent));
        } catch (IllegalArgumentException e) {
            throw new PermanentException("the forward cannot be sent: " + e.getMessage(), e);
        }
    }
}
