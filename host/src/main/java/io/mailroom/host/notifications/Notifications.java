package io.mailroom.host.notifications;

import io.mailroom.host.mailboxes.Mailbox;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Tells people what needs them. When a mailbox's credentials stop working, its owner is told
 * once per episode (not once per poll); a mailbox without an owner tells every user holding the
 * {@code credential_notifications} capability. Each one is also emailed ({@link NotificationMail})
 * when the installation names a system mailbox to send from.
 */
public final class Notifications {

    public static final String CREDENTIALS_FAILED = "credentials_failed";
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** A notification is a sentence or two; a plugin's runaway text is cut, not refused. */
    private static final int MAX_MESSAGE = 2000;

    private final Jdbi jdbi;
    private final NotificationMail mail;

    public Notifications(Jdbi jdbi) {
        this(jdbi, NotificationMail.NONE);
    }

    public Notifications(Jdbi jdbi, NotificationMail mail) {
        this.jdbi = jdbi;
        this.mail = mail;
    }

    /**
     * A notification an extension raises for a user ({@link io.mailroom.api.mailbox.Notifier}):
     * stored for {@code GET /api/notifications}, then mailed when the installation mails them.
     *
     * @throws IllegalArgumentException for a kind that is not snake_case, an empty message, or a
     *                                  user or mailbox that does not exist
     */
    public void notify(long userId, Long mailboxId, String kind, String message) {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("a notification kind is snake_case, at most 64 characters: " + kind);
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a notification needs a message");
        }
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
        try {
            jdbi.onDemand(NotificationDao.class).insert(userId, kind, mailboxId, text);
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
                throw new IllegalArgumentException("no user " + userId + (mailboxId == null ? "" : " or no mailbox " + mailboxId));
            }
            throw e;
        }
        mail.mail(userId, kind, "Mailroom: " + kind.replace('_', ' '), text);
    }

    /**
     * Called after each failed sync with the mailbox's status before the run: only the failure
     * that starts an episode (the status was not already {@code auth_failed}) is told.
     */
    public void credentialsFailed(Mailbox before, String error) {
        if ("auth_failed".equals(before.status())) {
            return;
        }
        NotificationDao dao = jdbi.onDemand(NotificationDao.class);
        List<Long> recipients = before.ownerUserId() != null ? List.of(before.ownerUserId())
                : dao.usersWith("credential_notifications");
        String message = "The server refused the credentials of mailbox " + before.name() + " <" + before.email()
                + ">: " + error + ". It is not synced until they are fixed.";
        recipients.forEach(user -> dao.insert(user, CREDENTIALS_FAILED, before.id(), message));
        recipients.forEach(user -> mail.mail(user, CREDENTIALS_FAILED,
                "Mailroom: the credentials of " + before.email() + " stopped working", message));
    }
}
