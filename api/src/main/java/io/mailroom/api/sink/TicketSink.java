package io.mailroom.api.sink;

import io.mailroom.api.Extension;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.message.MessageView;

import java.util.List;

/**
 * Receives processed messages, last in the pipeline: turns them into tickets, posts them to an
 * application, and so on ({@code ticketing}, {@code webhook}).
 *
 * <p>Delivery is at least once: after a crash the host delivers again the messages whose outcome
 * it did not record, so a sink must recognise a message it has seen (by {@link MessageView#id()}).
 * Lifecycle and threading as for {@link RuleAction}.
 *
 * <p>After the sink, the host applies the mailbox's own post-actions (mark as read, move to the
 * processed folder) when the outcome is {@link Outcome.Status#DONE}; a
 * {@link Outcome.Status#SKIPPED} outcome leaves the message where it is on the server. The
 * outcome's {@link io.mailroom.api.Effect}s apply either way (flag a message left for review).
 */
public interface TicketSink extends Extension {

    /**
     * The settings this sink takes for each mailbox that delivers to it, in the order forms
     * should show them; they arrive as {@code settings} in {@link #deliver}.
     */
    default List<SettingDescriptor> mailboxSettings() {
        return List.of();
    }

    /** Handles one stored message with the mailbox's sink settings. */
    Outcome deliver(MessageView message, Settings settings, ExtensionContext context);
}
