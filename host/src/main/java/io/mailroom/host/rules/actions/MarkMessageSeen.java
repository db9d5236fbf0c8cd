package io.mailroom.host.rules.actions;

import io.mailroom.api.Effect;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;

/** {@code mark_seen}: asks the host to mark the message read on the server ({@link Effect.MarkSeen}). */
final class MarkMessageSeen implements RuleAction {

    @Override
    public String id() {
        return "mark_seen";
    }

    @Override
    public String name() {
        return "Mark as read";
    }

    @Override
    public Outcome run(ActionCall call, ExtensionContext context) {
        return Outcome.done("to be marked read").withEffects(new Effect.MarkSeen());
    }
}
