package io.mailroom.host.notifications;

/**
 * Emails a notification to a user (OroImapBundle's third channel), besides the API. The host's
 * implementation sends through the system mailbox named by {@code mailroom.notifications.mailbox},
 * or does nothing when none is configured. It must not throw: a notification that cannot be
 * mailed is still stored.
 */
@FunctionalInterface
public interface NotificationMail {

    NotificationMail NONE = (userId, kind, subject, text) -> {
    };

    void mail(long userId, String kind, String subject, String text);
}
