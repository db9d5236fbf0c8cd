package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.outbound.ForwardedMail;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.messages.StoredAttachment;
import io.mailroom.host.messages.StoredMessage;
import io.mailroom.host.mime.MessageParser;
import jakarta.mail.internet.InternetAddress;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Forwards a stored message through the outbox, as {@link SendService} sends: checked first (400
 * naming the field), then stored in one transaction with its idempotency key. As an attachment,
 * the original's raw bytes go out unchanged as a {@code message/rfc822} part, so the recipient
 * sees every header and part as it arrived; inline, its text and html are quoted below a
 * forwarded-message block, with its kept attachments read again from the raw message.
 */
final class Forwards {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final SendService sender;
    private final MessageParser parser;
    private final Clock clock;

    Forwards(Jdbi jdbi, SendService sender, MessageParser parser, Clock clock) {
        this.jdbi = jdbi;
        this.sender = sender;
        this.parser = parser;
        this.clock = clock;
    }

    SendService.Queued forward(User caller, ForwardedMail mail) {
        String key = SendService.key(mail.idempotencyKey());
        Optional<SendService.Queued> earlier = sender.earlier(caller, key);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Mailbox mailbox = sender.mailbox(caller, mail.mailboxId());
        sender.smtp(mailbox);
        StoredMessage original = jdbi.onDemand(MessageDao.class).findVisible(mail.messageId(), Mailboxes.viewer(caller))
                .filter(message -> message.mailboxId() == mailbox.id())
                .orElseThrow(() -> ApiException.invalid("message_id", "no message " + mail.messageId() + " in mailbox "
                        + mailbox.id()));
        List<InternetAddress> to = Recipients.read(JSON.valueToTree(mail.to()), "to");
        if (to.isEmpty()) {
            throw ApiException.invalid("to", "no recipient");
        }
        if (mail.autoSubmitted() != null && !SendService.AUTO_SUBMITTED.contains(mail.autoSubmitted())) {
            throw ApiException.invalid("auto_submitted", "auto_submitted must be auto-replied or auto-generated");
        }
        byte[] raw = jdbi.onDemand(BlobDao.class).content(original.contentHash()).orElseThrow(() ->
                ApiException.invalid("message_id", "the raw bytes of message " + original.id() + " are not stored"));

        String text;
        String html = null;
        List<Draft.Attachment> attachments;
        if (mail.asAttachment()) {
            text = ForwardedOriginal.note(original);
            attachments = List.of(new Draft.Attachment(ForwardedOriginal.filename(original), "message/rfc822", raw));
        } else {
            text = ForwardedOriginal.text(original);
            html = original.htmlBody() == null ? null : ForwardedOriginal.html(original);
            attachments = mail.withAttachments() ? attachments(original, raw) : List.of();
        }
        Draft draft = new Draft(Recipients.named(mailbox.email(), mailbox.name()), to, List.of(), List.of(),
                ForwardedOriginal.subject(original.subject()), text, html, attachments,
                MailComposer.newMessageId(mailbox.email()), null, List.of(), mail.autoSubmitted(),
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
        return sender.queue(caller, key, mailbox, draft, original, List.of());
    }

    /** The original's kept attachments, decoded again from its raw message (or, before V20, their own blobs). */
    private List<Draft.Attachment> attachments(StoredMessage original, byte[] raw) {
        List<Draft.Attachment> out = new ArrayList<>();
        for (StoredAttachment attachment : jdbi.onDemand(MessageDao.class).attachments(original.id())) {
            if (!attachment.stored()) {
                continue; // over the size limit when it arrived: only its metadata was kept
            }
            byte[] content = attachment.inRawMessage() ? fromRaw(raw, attachment)
                    : jdbi.onDemand(BlobDao.class).content(attachment.sha256()).orElseThrow(() -> unreadable(attachment));
            String type = attachment.contentType() == null ? "application/octet-stream" : attachment.contentType();
            String name = attachment.filename() == null ? "attachment-" + attachment.index()
                    : Reply.oneLine(attachment.filename());
            out.add(new Draft.Attachment(name, Reply.oneLine(type), content));
        }
        return out;
    }

    private byte[] fromRaw(byte[] raw, StoredAttachment attachment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(attachment.size(), Integer.MAX_VALUE - 8));
        try {
            Optional<MessageParser.CopiedAttachment> copied = parser.copyAttachment(new ByteArrayInputStream(raw),
                    attachment.part(), out);
            if (copied.isEmpty() || !copied.get().sha256().equals(attachment.sha256())) {
                throw unreadable(attachment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static ApiException unreadable(StoredAttachment attachment) {
        return ApiException.invalid("attachments", "attachment " + attachment.index() + " of message "
                + attachment.messageId() + " cannot be read again from the stored message");
    }
}
