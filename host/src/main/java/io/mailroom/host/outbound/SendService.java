package io.mailroom.host.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.source.RawContent;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.messages.StoredAttachment;
import io.mailroom.host.messages.StoredMessage;
import io.mailroom.host.messages.ThreadDao;
import io.mailroom.host.mime.HtmlSanitizer;
import io.mailroom.host.mime.SubjectKey;
import io.mailroom.host.templates.Template;
import io.mailroom.host.templates.TemplateDao;
import io.mailroom.host.templates.TemplateRenderer;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.ParseException;
import org.jdbi.v3.core.Jdbi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a send request into a queued outbound message: checks everything first (400 naming the
 * field, nothing stored), composes the bytes, then stores in one transaction the raw bytes, the
 * message row in its thread, its attachments and the outbox row (and the idempotency key), and
 * wakes the outbox. Nothing here talks to a mail server: delivery is {@link OutboxWorker}'s.
 */
public final class SendService {

    static final String FOLDER = "(outbound)";
    static final int MAX_BODY_CHARS = 5 * 1024 * 1024;
    static final Set<String> AUTO_SUBMITTED = Set.of("auto-replied", "auto-generated");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final MailComposer composer = new MailComposer();
    private final TemplateRenderer templates;
    private final HtmlSanitizer sanitizer = new HtmlSanitizer();
    private final Clock clock;
    private final long maxAttachmentSize;
    private final long maxMessageSize;
    private final Runnable wake;

    public SendService(Jdbi jdbi, TemplateRenderer templates, Clock clock, long maxAttachmentSize, long maxMessageSize,
                       Runnable wake) {
        this.jdbi = jdbi;
        this.templates = templates;
        this.clock = clock;
        this.maxAttachmentSize = maxAttachmentSize;
        this.maxMessageSize = maxMessageSize;
        this.wake = wake;
    }

    /** The stored message, whether this call created it, and what a template lacked. */
    public record Queued(long messageId, boolean created, List<String> warnings) {
    }

    public Queued send(User caller, SendRequest request, String idempotencyKey) {
        String key = key(idempotencyKey);
        Optional<Queued> earlier = earlier(caller, key);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Mailbox mailbox = mailbox(caller, request);
        SmtpSettings smtp = smtp(mailbox);
        StoredMessage original = request.replyToMessageId() == null ? null : original(caller, mailbox, request);

        String subject = request.subject();
        String text = request.text();
        String html = request.html();
        List<String> warnings = List.of();
        if (request.templateId() != null) {
            Template template = jdbi.onDemand(TemplateDao.class).findVisible(request.templateId(), Mailboxes.viewer(caller))
                    .orElseThrow(() -> ApiException.invalid("template_id", "no template " + request.templateId()));
            TemplateRenderer.Rendered rendered = templates.render(template, request.context());
            subject = subject != null ? subject : rendered.subject();
            text = text != null ? text : rendered.text();
            html = html != null ? html : rendered.html();
            warnings = rendered.warnings();
        } else if (request.context() != null) {
            throw ApiException.invalid("context", "context is only used with template_id");
        }
        if (text == null && html == null) {
            throw ApiException.invalid("text", "give text, html or a template_id");
        }
        checkLength(text, "text");
        checkLength(html, "html");
        subject = subject == null ? "" : subject;
        HeaderText.require(subject, request.templateId() != null && request.subject() == null ? "template_id" : "subject");
        if (subject.length() > 998) {
            throw ApiException.invalid("subject", "subject is longer than 998 characters");
        }
        if (request.autoSubmitted() != null && !AUTO_SUBMITTED.contains(request.autoSubmitted())) {
            throw ApiException.invalid("auto_submitted", "auto_submitted must be auto-replied or auto-generated");
        }

        List<InternetAddress> to = Recipients.read(request.to(), "to");
        List<InternetAddress> cc = Recipients.read(request.cc(), "cc");
        List<InternetAddress> bcc = Recipients.read(request.bcc(), "bcc");
        String inReplyTo = null;
        List<String> references = List.of();
        if (original != null) {
            Reply reply = Reply.to(original, mailbox.email(), Boolean.TRUE.equals(request.replyAll()));
            if (to.isEmpty()) {
                to = reply.to();
                if (cc.isEmpty()) {
                    cc = reply.cc();
                }
            }
            subject = Reply.subject(!subject.isEmpty() ? subject : Reply.oneLine(original.subject()));
            inReplyTo = Reply.bracketed(original.messageId());
            inReplyTo = inReplyTo == null || HeaderText.hasControl(inReplyTo) ? null : inReplyTo;
            references = Reply.references(original);
        }
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw ApiException.invalid("to", "no recipient");
        }
        if (to.size() + cc.size() + bcc.size() > Recipients.MAX_RECIPIENTS) {
            throw ApiException.invalid("to", "at most " + Recipients.MAX_RECIPIENTS + " recipients in all");
        }
        List<Draft.Attachment> attachments = attachments(request.attachments());
        text = Signature.text(text, smtp.signatureText());
        html = Signature.html(html, smtp.signatureHtml());
        if (original != null && Boolean.TRUE.equals(request.quote())) {
            text = QuotedOriginal.text(text, original);
            html = QuotedOriginal.html(html, original);
        } else if (request.quote() != null && original == null) {
            throw ApiException.invalid("quote", "quote is only used with reply_to_message_id");
        }

        InternetAddress from = Recipients.named(mailbox.email(), mailbox.name());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String messageId = MailComposer.newMessageId(mailbox.email());
        Draft draft = new Draft(from, to, cc, bcc, subject, text, html, attachments, messageId, inReplyTo, references,
                request.autoSubmitted(), now);
        return queue(caller, key, mailbox, draft, original, warnings);
    }

    /** The idempotency key as stored, or null for none; a 400 when it is not one short line. */
    static String key(String idempotencyKey) {
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
        if (key != null && (key.length() > 200 || HeaderText.hasControl(key))) {
            throw ApiException.invalid("Idempotency-Key", "the key must be one line of at most 200 characters");
        }
        return key;
    }

    /** The message an earlier send with this key stored, if any. */
    Optional<Queued> earlier(User caller, String key) {
        return key == null ? Optional.empty() : jdbi.onDemand(OutboxDao.class).messageOfKey(caller.id(), key)
                .map(id -> new Queued(id, false, List.of()));
    }

    /**
     * The end of every send: composes the draft, refuses it over the size limit, stores it (in
     * {@code original}'s thread when given) and wakes the outbox.
     */
    Queued queue(User caller, String key, Mailbox mailbox, Draft draft, StoredMessage original, List<String> warnings) {
        byte[] raw = composer.compose(draft);
        if (raw.length > maxMessageSize) {
            throw ApiException.invalid("attachments", "the message would be " + raw.length
                    + " bytes, over the limit of " + maxMessageSize);
        }
        long id = store(caller, key, mailbox, draft, raw, original);
        if (id < 0) {
            return new Queued(jdbi.onDemand(OutboxDao.class).messageOfKey(caller.id(), key).orElseThrow(), false, List.of());
        }
        wake.run();
        return new Queued(id, true, warnings);
    }

    /** Stores it all in one transaction; -1 when another send took the idempotency key first. */
    private long store(User caller, String key, Mailbox mailbox, Draft draft, byte[] raw, StoredMessage original) {
        String hash = sha256(raw);
        try {
            return jdbi.inTransaction(handle -> {
                handle.attach(BlobDao.class).insertAll(List.of(new BlobDao.Blob(hash, RawContent.of(raw))));
                ThreadDao threads = handle.attach(ThreadDao.class);
                String[] participants = participants(draft);
                long threadId = original != null && original.threadId() != null ? original.threadId()
                        : threads.insert(mailbox.id(), draft.subject(), SubjectKey.of(draft.subject()));
                threads.addMessage(threadId, draft.date(), participants);
                OutboxDao outbox = handle.attach(OutboxDao.class);
                long id = outbox.insertMessage(new OutboxDao.NewOutbound(mailbox.id(), FOLDER,
                        "outbound:" + draft.messageId(), hash, raw.length, draft.messageId(), draft.inReplyTo(),
                        draft.references(), threadId, draft.from().getPersonal(), draft.from().getAddress(),
                        json(draft.to()), json(draft.cc()), draft.subject(), draft.date(), draft.text(),
                        draft.html() == null ? null : sanitizer.sanitize(draft.html()),
                        draft.autoSubmitted() == null ? "normal" : "auto_reply"));
                MessageDao messages = handle.attach(MessageDao.class);
                for (int i = 0; i < draft.attachments().size(); i++) {
                    Draft.Attachment a = draft.attachments().get(i);
                    messages.insertAttachment(new StoredAttachment(id, i, a.filename(), a.contentType(),
                            a.content().length, sha256(a.content()), MailComposer.attachmentPart(i)));
                }
                outbox.enqueue(id, mailbox.id(), mailbox.email(), draft.envelopeRecipients().stream()
                        .map(InternetAddress::getAddress).toArray(String[]::new));
                if (key != null) {
                    outbox.expireKey(caller.id(), key);
                    if (!outbox.claimKey(caller.id(), key, id)) {
                        throw new KeyTaken();
                    }
                }
                return id;
            });
        } catch (KeyTaken e) {
            return -1;
        }
    }

    /** Another send with the same key committed first: this one rolls back and answers with that one. */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }

    private Mailbox mailbox(User caller, SendRequest request) {
        Long mailboxId = request.mailboxId();
        if (mailboxId == null && request.replyToMessageId() != null) {
            mailboxId = jdbi.onDemand(MessageDao.class).findVisible(request.replyToMessageId(), Mailboxes.viewer(caller))
                    .map(StoredMessage::mailboxId).orElse(null);
        }
        if (mailboxId == null) {
            throw ApiException.invalid("mailbox_id", "mailbox_id is required");
        }
        return mailbox(caller, mailboxId.longValue());
    }

    Mailbox mailbox(User caller, long id) {
        return jdbi.onDemand(MailboxDao.class).findVisible(id, Mailboxes.viewer(caller))
                .orElseThrow(() -> ApiException.invalid("mailbox_id", "no mailbox " + id));
    }

    /** The mailbox's SMTP settings, or a 400: mail from a mailbox without them cannot go out. */
    SmtpSettings smtp(Mailbox mailbox) {
        return jdbi.onDemand(SmtpSettingsDao.class).find(mailbox.id()).orElseThrow(() ->
                ApiException.invalid("mailbox_id", "mailbox " + mailbox.id() + " has no smtp settings to send with"));
    }

    private StoredMessage original(User caller, Mailbox mailbox, SendRequest request) {
        return jdbi.onDemand(MessageDao.class).findVisible(request.replyToMessageId(), Mailboxes.viewer(caller))
                .filter(message -> message.mailboxId() == mailbox.id())
                .orElseThrow(() -> ApiException.invalid("reply_to_message_id",
                        "no message " + request.replyToMessageId() + " in mailbox " + mailbox.id()));
    }

    private List<Draft.Attachment> attachments(List<SendRequest.AttachmentInput> given) {
        List<Draft.Attachment> attachments = new ArrayList<>();
        if (given == null) {
            return attachments;
        }
        for (int i = 0; i < given.size(); i++) {
            SendRequest.AttachmentInput in = given.get(i);
            String at = "attachments[" + i + "]";
            if (in == null || in.contentBase64() == null) {
                throw ApiException.invalid(at + ".content_base64", "content_base64 is required");
            }
            String filename = in.filename() == null || in.filename().isBlank() ? "attachment" : in.filename();
            HeaderText.require(filename, at + ".filename");
            if (filename.length() > 255) {
                throw ApiException.invalid(at + ".filename", "filename is longer than 255 characters");
            }
            String type = in.contentType() == null || in.contentType().isBlank() ? "application/octet-stream"
                    : in.contentType().strip();
            HeaderText.require(type, at + ".content_type");
            try {
                ContentType parsed = new ContentType(type);
                if (parsed.getPrimaryType().equalsIgnoreCase("multipart")) {
                    throw ApiException.invalid(at + ".content_type", "an attachment cannot be multipart");
                }
            } catch (ParseException e) {
                throw ApiException.invalid(at + ".content_type", "'" + type + "' is not a content type");
            }
            if ((long) in.contentBase64().length() / 4 * 3 > maxAttachmentSize + 3) {
                throw ApiException.invalid(at + ".content_base64", "the attachment is over the limit of "
                        + maxAttachmentSize + " bytes");
            }
            byte[] content;
            try {
                content = Base64.getMimeDecoder().decode(in.contentBase64());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(at + ".content_base64", "content_base64 is not base64");
            }
            if (content.length > maxAttachmentSize) {
                throw ApiException.invalid(at + ".content_base64", "the attachment is over the limit of "
                        + maxAttachmentSize + " bytes");
            }
            attachments.add(new Draft.Attachment(filename, type, content));
        }
        return attachments;
    }

    private static void checkLength(String body, String path) {
        if (body != null && body.length() > MAX_BODY_CHARS) {
            throw ApiException.invalid(path, path + " is longer than " + MAX_BODY_CHARS + " characters");
        }
    }

    private static String[] participants(Draft draft) {
        List<String> all = new ArrayList<>();
        all.add(draft.from().getAddress().toLowerCase(Locale.ROOT));
        draft.to().forEach(a -> all.add(a.getAddress().toLowerCase(Locale.ROOT)));
        draft.cc().forEach(a -> all.add(a.getAddress().toLowerCase(Locale.ROOT)));
        return all.stream().distinct().toArray(String[]::new);
    }

    private static String json(List<InternetAddress> addresses) {
        List<Map<String, String>> list = new ArrayList<>();
        for (InternetAddress address : addresses) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("name", address.getPersonal());
            entry.put("email", address.getAddress());
            list.add(entry);
        }
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
