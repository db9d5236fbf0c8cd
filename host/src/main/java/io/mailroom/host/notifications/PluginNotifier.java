package io.mailroom.host.notifications;

import io.mailroom.api.mailbox.Notifier;

/** {@link Notifier} for plugins: the host's {@link Notifications}, shown in {@code /api/notifications}. */
public record PluginNotifier(Notifications notifications) implements Notifier {

    @Override
    public void notify(long userId, Long mailboxId, String kind, String message) {
        notifications.notify(userId, mailboxId, kind, message);
    }
}
