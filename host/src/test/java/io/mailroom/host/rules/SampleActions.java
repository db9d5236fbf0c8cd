package io.mailroom.host.rules;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.InvalidSettingException;
import io.mailroom.api.Outcome;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;

import java.util.List;

/** Small rule actions for tests: they declare data like real ones and do nothing when run. */
final class SampleActions {

    private SampleActions() {
    }

    static RuleActions only() {
        return new RuleActions(List.of(new Notify(), new Label()), null);
    }

    /** Mail to {@code to}, signed with a secret {@code key}; refuses a {@code text} that says "forbidden". */
    static final class Notify implements RuleAction {
        @Override
        public String id() {
            return "notify";
        }

        @Override
        public List<SettingDescriptor> dataSettings() {
            return List.of(SettingDescriptor.required("to", SettingType.LIST, "who gets the note"),
                    SettingDescriptor.required("text", SettingType.STRING, "the note"),
                    SettingDescriptor.optional("key", SettingType.STRING, null, "a signing key").asSecret(),
                    SettingDescriptor.integer("copies", 1, 0, 5, "how many"));
        }

        @Override
        public void checkData(Settings data) {
            if (data.get("text").contains("forbidden")) {
                throw new InvalidSettingException("text", "text may not say forbidden");
            }
        }

        @Override
        public boolean sendsMail() {
            return true;
        }

        @Override
        public Outcome run(ActionCall call, ExtensionContext context) {
            return Outcome.done("noted");
        }
    }

    /** Tags a message with {@code tag}. */
    static final class Label implements RuleAction {
        @Override
        public String id() {
            return "label";
        }

        @Override
        public List<SettingDescriptor> dataSettings() {
            return List.of(SettingDescriptor.required("tag", SettingType.STRING, "the tag"));
        }

        @Override
        public Outcome run(ActionCall call, ExtensionContext context) {
            return Outcome.done("labelled");
        }
    }
}
