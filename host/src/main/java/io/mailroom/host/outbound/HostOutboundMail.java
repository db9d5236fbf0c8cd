package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.outbound.ForwardedMail;
import io.mailroom.api.outbound.OutboundMail;
import io.mailroom.api.outbound.OutgoingMail;
import io.mailroom.host.auth.User;
import io.mailroom.host.auth.UserDao;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.mailboxes.MailboxDao;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

/**
 * {@link OutboundMail} for plugins: the same checks and outbox as {@code POST /api/send}, acting
 * as the mailbox's owner (a plugin sends only as the mailbox it works for).
 */
final class HostOutboundMail implements OutboundMail {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jdbi jdbi;
    private final SendService sender;
    private final Forwards forwards;

    HostOutboundMail(Jdbi jdbi, SendService sender, Forwards forwards) {
        this.jdbi = jdbi;
        this.sender = sender;
        this.forwards = forwards;
    }

    @Override
    public long forward(ForwardedMail mail) {
        User owner = owner(mail.mailboxId());
        try {
            return forwards.forward(owner, mail).messageId();
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.details().getOrDefault("path", "mail") + ": " + e.getMessage(), e);
        }
    }

    private User owner(long mailboxId) {
        return jdbi.onDemand(MailboxDao.class).findVisible(mailboxId, null)
                .map(mailbox -> mailbox.ownerUserId())
                .flatMap(id -> id == null ? java.util.Optional.empty() : jdbi.onDemand(UserDao.class).find(id))
                .orElseThrow(() -> new IllegalArgumentException("mailbox_id: no mailbox " + mailboxId
                        + " with an owner"));
    }

    @Override
    public long send(OutgoingMail mail) {
        User owner = owner(mail.mailboxId());
        SendRequest request = new SendRequest(mail.mailboxId(), list(mail.to()), list(mail.cc()), list(mail.bcc()),
                mail.subject(), mail.text(), mail.html(), null, null, null, mail.replyToMessageId(), mail.replyAll(),
                mail.autoSubmitted(), null);
        try {
            return sender.send(owner, request, mail.idempotencyKey()).messageId();
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.details().getOrDefault("path", "mail") + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode list(List<String> addresses) {
        return addresses.isEmpty() ? null : JSON.valueToTree(addresses);
    }
}
