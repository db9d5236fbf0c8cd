package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.node.TextNode;
import io.mailroom.host.auth.User;
import io.mailroom.host.auth.UserDao;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.network.ShownError;
import io.mailroom.host.notifications.NotificationMail;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Emails owner notifications through the system mailbox {@code mailroom.notifications.mailbox}
 * (its id or its address), read when a notification is sent, so it may be created after start.
 * The mail is automatic ({@code Auto-Submitted: auto-generated}) and goes through the outbox like
 * any other; a failure is logged and never reaches the sync that raised the notification.
 */
final class NotificationMailer implements NotificationMail {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationMailer.class);
    private final Jdbi jdbi;
    private final SendService sender;
    private final String systemMailbox;

    NotificationMailer(Jdbi jdbi, SendService sender, String systemMailbox) {
        this.jdbi = jdbi;
        this.sender = sender;
        this.systemMailbox = systemMailbox;
    }

    @Override
    public void mail(long userId, String kind, String subject, String text) {
        try {
            Optional<Mailbox> from = systemMailbox();
            Optional<User> to = jdbi.onDemand(UserDao.class).find(userId);
            Optional<User> sendingAs = jdbi.onDemand(UserDao.class).firstSuperadmin();
            if (from.isEmpty() || to.isEmpty() || sendingAs.isEmpty()) {
                LOG.warn("notification {} not emailed: no system mailbox '{}' or no such user {}", kind, systemMailbox, userId);
                return;
            }
            sender.send(sendingAs.get(), new SendRequest(from.get().id(), TextNode.valueOf(to.get().email()), null, null,
                    subject, text, null, null, null, null, null, null, "auto-generated", null), null);
        } catch (RuntimeException e) {
            LOG.warn("notification {} to user {} not emailed: {}", kind, userId, ShownError.of(e));
        }
    }

    private Optional<Mailbox> systemMailbox() {
        MailboxDao mailboxes = jdbi.onDemand(MailboxDao.class);
        if (systemMailbox.chars().allMatch(Character::isDigit)) {
            return mailboxes.find(Long.parseLong(systemMailbox));
        }
        List<Mailbox> byEmail = mailboxes.findByEmail(systemMailbox);
        return byEmail.stream().findFirst();
    }
}
