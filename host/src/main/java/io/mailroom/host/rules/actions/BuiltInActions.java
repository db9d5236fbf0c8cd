package io.mailroom.host.rules.actions;

import io.mailroom.api.rule.RuleAction;

import java.util.List;

/**
 * The rule actions Mailroom ships; a plugin's action may not take one of their ids.
 *
 * <p>PLACEHOLDER until the actions branch lands: none yet.
 */
public final class BuiltInActions {

    public List<RuleAction> all() {
        return List.of();
    }
}
