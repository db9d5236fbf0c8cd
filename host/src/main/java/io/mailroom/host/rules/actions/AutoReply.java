package io.mailroom.host.rules.actions;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.InvalidSettingException;
import io.mailroom.api.Outcome;
import io.mailroom.api.PermanentException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;
import io.mailroom.api.outbound.OutgoingMail;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.templates.Template;
import io.mailroom.host.templates.TemplateDao;
import io.mailroom.host.templates.TemplateRenderer;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code auto_reply}: answers the message with a template, through the outbox, as a reply (its
 * threading headers, one {@code Re:}, to the sender or everyone with {@code reply_all}) marked
 * {@code Auto-Submitted: auto-replied}. The template sees the message's variables
 * ({@link MessageVariables}); one with an empty subject answers with the original's.
 *
 * <p>The template must belong to the mailbox's owner, checked when the reply is sent: a rule
 * cannot send out another user's template. The call's idempotency key goes to the outbox, so a
 * repeated call replies once.
 */
final class AutoReply implements RuleAction {

    private final Jdbi jdbi;
    private final TemplateRenderer renderer;

    AutoReply(Jdbi jdbi, TemplateRenderer renderer) {
        this.jdbi = jdbi;
        this.renderer = renderer;
    }

    @Override
    public String id() {
        return "auto_reply";
    }

    @Override
    public String name() {
        return "Auto reply";
    }

    @Override
    public List<SettingDescriptor> dataSettings() {
        return List.of(
                SettingDescriptor.required("template_id", SettingType.INTEGER,
                        "The template to answer with (one of the mailbox owner's)"),
                SettingDescriptor.optional("reply_all", SettingType.BOOLEAN, "false",
                        "Answer everyone on the message, not only its sender"));
    }

    @Override
    public void checkData(Settings data) {
        long id = data.getLong("template_id");
        if (jdbi.onDemand(TemplateDao.class).findVisible(id, null).isEmpty()) {
            throw new InvalidSettingException("template_id", "there is no template " + id);
        }
    }

    @Override
    public boolean sendsMail() {
        return true;
    }

    @Override
    public Outcome run(ActionCall call, ExtensionContext context) {
        long templateId = call.data().getLong("template_id");
        long mailboxId = call.message().mailboxId();
        Template template = jdbi.onDemand(TemplateDao.class).findVisible(templateId, null)
                .orElseThrow(() -> new PermanentException("template " + templateId + " no longer exists"));
        Long owner = jdbi.onDemand(MailboxDao.class).findVisible(mailboxId, null).map(Mailbox::ownerUserId).orElse(null);
        if (!Objects.equals(owner, template.userId())) {
            throw new PermanentException("template " + templateId + " does not belong to the owner of mailbox " + mailboxId);
        }
        TemplateRenderer.Rendered rendered;
        try {
            rendered = renderer.render(template, MessageVariables.of(call.message()));
        } catch (ApiException e) {
            throw new PermanentException("template " + templateId + ": " + e.getMessage(), e);
        }
        boolean replyAll = call.data().find("reply_all").map(Boolean::parseBoolean).orElse(false);
        try {
            long sent = context.outboundMail().send(new OutgoingMail(mailboxId, List.of(), null, null,
                    rendered.subject(), rendered.text(), rendered.html(), call.message().id(), replyAll,
                    "auto-replied", call.idempotencyKey()));
            return Outcome.done("replied with template " + templateId, Map.of("outbound_message_id", sent));
        } catch (IllegalArgumentException e) {
            throw new PermanentException("the reply cannot be sent: " + e.getMessage(), e);
        }
    }
}
