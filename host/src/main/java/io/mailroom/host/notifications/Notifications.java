package io.mailroom.host.notifications;

import io.mailroom.host.mailboxes.Mailbox;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

/**
 * Tells people what needs them. When a mailbox's credentials stop working, its owner is told
 * once per episode (not once per poll); a mailbox without an owner tells every user holding the
 * {@code credential_notifications} capability. Each one is also emailed ({@link NotificationMail})
 * when the installation names a system mailbox to send from.
 */
public final class Notifications {

    public static final String CREDENTIALS_FAILED = "credentials_failed";

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
