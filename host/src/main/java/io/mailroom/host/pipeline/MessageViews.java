package io.mailroom.host.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.message.Address;
import io.mailroom.api.message.AttachmentInfo;
import io.mailroom.api.message.Classification;
import io.mailroom.api.message.MessageView;
import io.mailroom.host.filters.KnownSenders;
import io.mailroom.host.filters.MessageFacts;
import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.messages.StoredMessage;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedMessage;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds what rules and sinks see of a stored message: the {@link MessageView} extensions get and
 * the {@link MessageFacts} rule conditions test. Both come from the stored raw bytes parsed
 * again, as a filter preview does, so a sync, a reprocess and a quarantine retry see the same
 * values; what the store decided (folder, thread, classification, flags, tags) comes from the row.
 */
public final class MessageViews {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final MessageParser parser;

    public MessageViews(Jdbi jdbi, MessageParser parser) {
        this.jdbi = jdbi;
        this.parser = parser;
    }

    /** A message as the chain sees it; {@link #withTags} follows the tags the chain changes. */
    public record Seen(StoredMessage stored, ParsedMessage parsed, MessageView view, MessageFacts facts) {

        Seen withTags(List<String> tags) {
            MessageView v = view;
            return new Seen(stored, parsed, new MessageView(v.id(), v.mailboxId(), v.folder(), v.messageId(),
                    v.inReplyTo(), v.references(), v.threadId(), v.from(), v.to(), v.cc(), v.subject(), v.date(),
                    v.headers(), v.text(), v.classification(), v.flags(), Set.copyOf(tags), v.attachments()),
                    new MessageFacts(facts.parsed(), facts.folder(), facts.classification(), facts.direction(), tags,
                            facts.size(), facts.receivedAt(), facts.senders()));
        }
    }

    /** The stored message, or empty when it is gone (deleted with its mailbox). */
    java.util.Optional<StoredMessage> stored(long messageId) {
        return jdbi.onDemand(MessageDao.class).findVisible(messageId, null);
    }

    /** Parses the message's stored bytes and builds both views. */
    Seen see(StoredMessage message) {
        byte[] raw = jdbi.onDemand(BlobDao.class).content(message.contentHash())
                .orElseThrow(() -> new IllegalStateException("the raw bytes of message " + message.id() + " are missing"));
        ParsedMessage parsed;
        try {
            parsed = parser.parse(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<AttachmentInfo> attachments = jdbi.onDemand(MessageDao.class).attachments(message.id()).stream()
                .map(a -> new AttachmentInfo(a.index(), a.filename(), a.contentType(), a.size(), a.stored())).toList();
        Address from = message.fromEmail() == null ? null : new Address(message.fromName(), message.fromEmail());
        MessageView view = new MessageView(message.id(), message.mailboxId(), message.folder(), message.messageId(),
                message.inReplyTo(), message.refs(), message.threadId(), from, addresses(message.toAddresses()),
                addresses(message.ccAddresses()), message.subject() == null ? "" : message.subject(), message.sentAt(),
                parsed.headers(), parsed.text(), classification(message.classification()), Set.copyOf(message.flags()),
                Set.copyOf(message.tags()), attachments);
        List<String> emails = new ArrayList<>();
        if (from != null) {
            emails.add(from.email());
        }
        KnownSenders senders = jdbi.withHandle(handle -> KnownSenders.load(handle, emails));
        MessageFacts facts = new MessageFacts(parsed, message.folder(), message.classification(), message.direction(),
                message.tags(), message.size(), message.receivedAt(), senders);
        return new Seen(message, parsed, view, facts);
    }

    private static Classification classification(String id) {
        try {
            return Classification.valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Classification.NORMAL;
        }
    }

    private static List<Address> addresses(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<Address> read = JSON.readValue(json, new TypeReference<List<Address>>() {
            });
            return read.stream().filter(a -> a != null && a.email() != null).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
