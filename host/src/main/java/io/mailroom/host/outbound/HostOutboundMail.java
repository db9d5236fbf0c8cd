package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    HostOutboundMail(Jdbi jdbi, SendService sender) {
        this.jdbi = jdbi;
        this.sender = sender;
    }

    @Override
    public long send(OutgoingMail mail) {
        User owner = jdbi.onDemand(MailboxDao.class).findVisible(mail.mailboxId(), null)
                .map(mailbox -> mailbox.ownerUserId())
                .flatMap(id -> id == null ? java.util.Optional.empty() : jdbi.onDemand(UserDao.class).find(id))
                .orElseThrow(() -> new IllegalArgumentException("mailbox_id: no mailbox " + mail.mailboxId()
                        + " with an owner"));
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
