package io.mailroom.host.rules.actions;

import io.mailroom.api.Effect;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.InvalidSettingException;
import io.mailroom.api.Outcome;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;

import java.util.List;
import java.util.function.Predicate;

/**
 * {@code assign_sink}: asks the host to hand the message to another sink than the mailbox's own
 * ({@link Effect.AssignSink}). The sink must be known when the rule is saved (a started plugin's
 * {@code TicketSink}); one whose plugin is disabled later is the chain's to report.
 */
final class AssignSink implements RuleAction {

    private final Predicate<String> knownSink;

    /** @param knownSink whether a {@code TicketSink} has this id now */
    AssignSink(Predicate<String> knownSink) {
        this.knownSink = knownSink;
    }

    @Override
    public String id() {
        return "assign_sink";
    }

    @Override
    public String name() {
        return "Hand to sink";
    }

    @Override
    public List<SettingDescriptor> dataSettings() {
        return List.of(SettingDescriptor.required("sink", SettingType.STRING, "The id of the sink to hand the message to"));
    }

    @Override
    public void checkData(Settings data) {
        String sink = DataChecks.line("sink", data.get("sink"), 100);
        if (!knownSink.test(sink)) {
            throw new InvalidSettingException("sink", "there is no sink '" + sink + "' (is its plugin started?)");
        }
    }

    @Override
    public Outcome run(ActionCall call, ExtensionContext context) {
        String sink = call.data().get("sink");
        return Outcome.done("handed to sink " + sink).withEffects(new Effect.AssignSink(sink));
    }
}
