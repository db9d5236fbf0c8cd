package io.mailroom.api.mailbox;

/**
 * Raises a notification for a user: shown in the admin pages and, when the host has a
 * notification mail set up, mailed to them. Thread-safe; each call is committed on return.
 */
public interface Notifier {

    /**
     * @param userId    who is told (a mailbox's owner)
     * @param mailboxId the mailbox it is about, or null
     * @param kind      a snake_case code ({@code ticket_reply_to_closed})
     * @param message   one sentence, never a secret
     */
    void notify(long userId, Long mailboxId, String kind, String message);
}
