package io.mailroom.host.rules;

import io.mailroom.api.Settings;

/**
 * One action of an {@link ActiveRule}.
 *
 * @param index the action's position in the rule, from 0 (part of its idempotency key)
 * @param type  the {@link io.mailroom.api.rule.RuleAction} id, found through {@link RuleActions}
 * @param data  the action's data, validated when the rule was saved, secrets opened
 */
public record ActiveAction(int index, String type, Settings data) {
}
