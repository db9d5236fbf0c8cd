package io.mailroom.api.rule;

import io.mailroom.api.Settings;
import io.mailroom.api.message.MessageView;

import java.util.Objects;

/**
 * One call of a {@link RuleAction}.
 *
 * @param message        the stored message the rule matched
 * @param data           the action's validated data, secrets opened
 * @param ruleId         the rule the action belongs to
 * @param actionIndex    the action's position in the rule, from 0
 * @param idempotencyKey stable for this message, rule and action index across crashes and
 *                       reprocessing ({@code "rule:<rule>:<index>:message:<message>"}); a new one
 *                       only when an admin asked to repeat actions
 */
public record ActionCall(MessageView message, Settings data, long ruleId, int actionIndex, String idempotencyKey) {

    public ActionCall {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }
}
