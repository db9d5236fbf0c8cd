package io.mailroom.host.rules.actions;

import io.mailroom.api.Effect;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;

/** {@code flag}: asks the host to flag the message on the server, IMAP {@code \Flagged} ({@link Effect.Flag}). */
final class FlagMessage implements RuleAction {

    @Override
    public String id() {
        return "flag";
    }

    @Override
    public String name() {
        return "Flag";
    }

    @Override
    public Outcome run(ActionCall call, ExtensionContext context) {
        return Outcome.done("to be flagged").withEffects(new Effect.Flag());
    }
}
