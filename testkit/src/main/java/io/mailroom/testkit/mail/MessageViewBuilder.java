package io.mailroom.testkit.mail;

import io.mailroom.api.message.Address;
import io.mailroom.api.message.AttachmentInfo;
import io.mailroom.api.message.Classification;
import io.mailroom.api.message.MessageView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link MessageView} as the host would hand it to a rule action or a sink, for tests:
 * an inbound {@code normal} message in {@code INBOX} with a text body, unless told otherwise.
 *
 * <pre>{@code
 * MessageView view = MessageViewBuilder.message(41, 1).from("ann@acme.com", "Ann")
 *         .subject("Printer down").messageId("<a1@acme.com>").build();
 * }</pre>
 */
public final class MessageViewBuilder {

    private final long id;
    private final long mailboxId;
    private String folder = "INBOX";
    private String messageId;
    private String inReplyTo;
    private final List<String> references = new ArrayList<>();
    private Long threadId;
    private Address from = new Address("", "someone@example.com");
    private final List<Address> to = new ArrayList<>();
    private String subject = "";
    private Instant date = Instant.parse("2026-11-29T10:00:00Z");
    private String text = "";
    private Classification classification = Classification.NORMAL;
    private final List<AttachmentInfo> attachments = new ArrayList<>();

    private MessageViewBuilder(long id, long mailboxId) {
        this.id = id;
        this.mailboxId = mailboxId;
        this.messageId = "<m" + id + "@test.invalid>";
    }

    /** A message with Mailroom id {@code id} in mailbox {@code mailboxId}, Message-ID {@code <m<id>@test.invalid>}. */
    public static MessageViewBuilder message(long id, long mailboxId) {
        return new MessageViewBuilder(id, mailboxId);
    }

    public MessageViewBuilder folder(String folder) {
        this.folder = folder;
        return this;
    }

    /** The Message-ID header; null for a message without one. */
    public MessageViewBuilder messageId(String messageId) {
        this.messageId = messageId;
        return this;
    }

    public MessageViewBuilder inReplyTo(String inReplyTo) {
        this.inReplyTo = inReplyTo;
        return this;
    }

    public MessageViewBuilder references(String... references) {
        this.references.addAll(List.of(references));
        return this;
    }

    public MessageViewBuilder threadId(Long threadId) {
        this.threadId = threadId;
        return this;
    }

    public MessageViewBuilder from(String email, String name) {
        this.from = new Address(name, email);
        return this;
    }

    /** A message with no From header at all. */
    public MessageViewBuilder withoutFrom() {
        this.from = null;
        return this;
    }

    public MessageViewBuilder to(String email) {
        this.to.add(new Address("", email));
        return this;
    }

    public MessageViewBuilder subject(String subject) {
        this.subject = subject;
        return this;
    }

    public MessageViewBuilder date(Instant date) {
        this.date = date;
        return this;
    }

    public MessageViewBuilder text(String text) {
        this.text = text;
        return this;
    }

    public MessageViewBuilder classification(Classification classification) {
        this.classification = classification;
        return this;
    }

    public MessageViewBuilder attachment(String filename, String contentType, long size) {
        this.attachments.add(new AttachmentInfo(attachments.size(), filename, contentType, size, true));
        return this;
    }

    public MessageView build() {
        return new MessageView(id, mailboxId, folder, messageId, inReplyTo, references, threadId, from, to, List.of(),
                subject, date, Map.of(), text, classification, Set.of(), Set.of(), attachments);
    }
}
