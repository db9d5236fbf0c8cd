package io.mailroom.testkit.context;

import io.mailroom.api.mailbox.Notifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Notifications kept in memory, for a test to read. Like the host, it refuses a user id no user
 * can have (0 or less: {@code MailboxInfo.ownerUserId()} of a mailbox nobody owns) with an
 * {@link IllegalArgumentException}.
 */
public final class RecordingNotifier implements Notifier {

    private final List<Notification> notifications = new ArrayList<>();

    /** One notification raised. */
    public record Notification(long userId, Long mailboxId, String kind, String message) {
    }

    @Override
    public synchronized void notify(long userId, Long mailboxId, String kind, String message) {
        if (userId <= 0) {
            throw new IllegalArgumentException("no user " + userId);
        }
        notifications.add(new Notification(userId, mailboxId, kind, message));
    }

    public synchronized List<Notification> notifications() {
        return List.copyOf(notifications);
    }
}
