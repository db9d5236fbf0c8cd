package io.mailroom.api.rule;

import io.mailroom.api.Outcome;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link RuleAction} did, and the effects the host is to apply to the message.
 *
 * @param outcome recorded on the message's {@code processing} history
 * @param effects applied by the host in order: tags at once, server changes at the end of the chain
 */
public record ActionResult(Outcome outcome, List<Effect> effects) {

    public ActionResult {
        Objects.requireNonNull(outcome, "outcome");
        effects = List.copyOf(effects);
    }

    public static ActionResult done(String detail) {
        return new ActionResult(Outcome.done(detail), List.of());
    }

    public static ActionResult skipped(String detail) {
        return new ActionResult(Outcome.skipped(detail), List.of());
    }

    /** Done, by asking the host for {@code effects}. */
    public static ActionResult effects(String detail, Effect... effects) {
        return new ActionResult(Outcome.done(detail), List.of(effects));
    }
}
