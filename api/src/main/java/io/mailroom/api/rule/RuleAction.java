package io.mailroom.api.rule;

import io.mailroom.api.Extension;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.message.MessageView;

import java.util.Map;

/**
 * One thing a rule does to a message ({@code auto_reply}, {@code forward}, {@code tag},
 * {@code webhook}…). A rule's action reads {@code {"type": "<id>", "data": {...}}}.
 *
 * <p>Lifecycle and threading: stateless, one instance, called from many threads; the host runs
 * a message's actions in order, after the message is committed. Failures: a
 * {@link io.mailroom.api.TemporaryException} is retried with back-off, a
 * {@link io.mailroom.api.PermanentException} is recorded on the message and not retried.
 */
public interface RuleAction extends Extension {

    /**
     * Checks the action's data when the rule is saved.
     *
     * @throws IllegalArgumentException with a sentence for the admin when the data is unusable
     */
    default void checkData(Map<String, Object> data) {
    }

    /** Runs the action on a stored message. */
    Outcome run(MessageView message, Map<String, Object> data, ExtensionContext context);
}
