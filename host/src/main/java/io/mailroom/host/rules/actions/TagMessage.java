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
 * {@code tag} and {@code untag}: ask the host to add or remove a tag in Mailroom
 * ({@link Effect.Tag}, {@link Effect.Untag}). A tag is one line of at most {@value #MAX_LENGTH}
 * characters without control characters; surrounding spaces are dropped.
 */
final class TagMessage implements RuleAction {

    static final int MAX_LENGTH = 64;
    private final boolean add;

    private TagMessage(boolean add) {
        this.add = add;
    }

    static TagMessage tag() {
        return new TagMessage(true);
    }

    static TagMessage untag() {
        return new TagMessage(false);
    }

    @Override
    public String id() {
        return add ? "tag" : "untag";
    }

    @Override
    public String name() {
        return add ? "Tag" : "Remove tag";
    }

    @Override
    public List<SettingDescriptor> dataSettings() {
        return List.of(SettingDescriptor.required("tag", SettingType.STRING,
                add ? "The tag to add" : "The tag to remove"));
    }

    @Override
    public void checkData(Settings data) {
        DataChecks.line("tag", data.get("tag").strip(), MAX_LENGTH);
    }

    @Override
    public Outcome run(ActionCall call, ExtensionContext context) {
        String tag = call.data().get("tag").strip();
        return Outcome.done((add ? "tagged " : "untagged ") + tag)
                .withEffects(add ? new Effect.Tag(tag) : new Effect.Untag(tag));
    }
}
