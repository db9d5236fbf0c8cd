package io.mailroom.host.rules.actions;

import io.mailroom.api.Effect;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;

import java.util.List;

/**
 * {@code move}: asks the host to move the message to a server folder at the end of the processing
 * chain ({@link Effect.MoveTo}; the last move asked for wins). The folder is named as the server
 * names it ({@code Archive}, {@code INBOX/Done}).
 */
final class MoveMessage implements RuleAction {

    static final int MAX_LENGTH = 255;

    @Override
    public String id() {
        return "move";
    }

    @Override
    public String name() {
        return "Move to folder";
    }

    @Override
    public List<SettingDescriptor> dataSettings() {
        return List.of(SettingDescriptor.required("folder", SettingType.STRING, "The server folder to move the message to"));
    }

    @Override
    public void checkData(Settings data) {
        DataChecks.line("folder", data.get("folder"), MAX_LENGTH);
    }

    @Override
    public Outcome run(ActionCall call, ExtensionContext context) {
        String folder = call.data().get("folder");
        return Outcome.done("to be moved to " + folder).withEffects(new Effect.MoveTo(folder));
    }
}
