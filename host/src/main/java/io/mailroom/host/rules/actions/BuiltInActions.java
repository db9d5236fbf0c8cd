package io.mailroom.host.rules.actions;

import io.mailroom.api.rule.RuleAction;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.templates.TemplateRenderer;
import io.mailroom.host.webhooks.WebhookQueue;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.function.Predicate;

/**
 * The rule actions Mailroom ships; a plugin's action may not take one of their ids. Built once by
 * {@code MailroomCore}; each action is stateless and gets from here the host services it needs
 * that a plugin's would not have (templates, the webhook queue), and from its
 * {@link io.mailroom.api.ExtensionContext} the rest (the outbox).
 */
public final class BuiltInActions {

    private final List<RuleAction> all;

    /**
     * @param knownSink whether a {@code TicketSink} with this id is there now ({@code assign_sink})
     * @param addresses the installation's private-address rule, for webhook URLs
     */
    public BuiltInActions(Jdbi jdbi, TemplateRenderer templates, WebhookQueue webhooks, PrivateAddressPolicy addresses,
                          Predicate<String> knownSink) {
        this.all = List.of(
                new AutoReply(jdbi, templates),
                new ForwardMessage(),
                TagMessage.tag(),
                TagMessage.untag(),
                new MoveMessage(),
                new MarkMessageSeen(),
                new FlagMessage(),
                new AssignSink(knownSink),
                new PostWebhook(webhooks, addresses));
    }

    public List<RuleAction> all() {
        return all;
    }
}
