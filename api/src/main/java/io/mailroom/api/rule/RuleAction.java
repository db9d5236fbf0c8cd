package io.mailroom.api.rule;

import io.mailroom.api.Extension;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;

import java.util.List;

/**
 * One thing a rule does to a message ({@code auto_reply}, {@code forward}, {@code tag},
 * {@code webhook}…). A rule's action reads {@code {"type": "<id>", "data": {...}}}; the data are
 * declared by {@link #dataSettings()}, checked by the host when the rule is saved (a 400 naming
 * {@code actions[1].data.to}), and secret ones sealed.
 *
 * <p>Lifecycle and threading: stateless, one instance, called from many threads. The host runs a
 * message's actions in order, after the message is committed, outside any transaction, and records
 * each result, so an action that returned is not run again for the same message, rule and index
 * (unless an admin reprocesses with {@code repeat_actions}). A crash between the work and that
 * record can repeat a call: an action with effects outside Mailroom passes
 * {@link ActionCall#idempotencyKey()} on (the outbox and the host's webhooks honour it).
 *
 * <p>An action does not change the message or the server itself: tags, flags, moves and marking
 * read are {@link io.mailroom.api.Effect}s its {@link Outcome} carries, which the host applies
 * (server changes at the end of the processing chain, after the sink).
 *
 * <p>Failures: a {@link io.mailroom.api.TemporaryException} is retried with back-off, a
 * {@link io.mailroom.api.PermanentException} (or any other exception) is recorded on the message
 * and not retried; the message's later actions and rules still run.
 */
public interface RuleAction extends Extension {

    /** The data this action takes, in the order forms should show them. */
    default List<SettingDescriptor> dataSettings() {
        return List.of();
    }

    /**
     * Checks the data beyond what the descriptors say (an address that does not parse), when the
     * rule is saved; the values have already passed {@link #dataSettings()}.
     *
     * @throws io.mailroom.api.InvalidSettingException naming the setting, with a sentence for the admin
     */
    default void checkData(Settings data) {
    }

    /**
     * Whether the action sends mail because a message arrived (a reply, a forward). The host's
     * loop protection then skips it, and records why, for mail classified {@code auto_reply},
     * {@code bounce} or {@code bulk}, for mail Mailroom itself sent, and past the per-sender limit.
     */
    default boolean sendsMail() {
        return false;
    }

    /** Runs the action on a stored message. */
    Outcome run(ActionCall call, ExtensionContext context);
}
