package io.mailroom.host.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.message.Address;
import io.mailroom.api.source.RawMessage;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.messages.NewMessage;
import io.mailroom.host.messages.StoredAttachment;
import io.mailroom.host.mime.Classifier;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedAttachment;
import io.mailroom.host.mime.ParsedMessage;
import io.mailroom.host.mime.SubjectKey;
import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.messages.MessageDao;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The stages a new message goes through inside its batch's transaction: parse, classify,
 * thread, store with its attachments, and queue it for its processing chain
 * ({@link ProcessingChain}), which decides its server actions after the commit.
 */
public final class IngestMessage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(IngestMessage.class);

    private final MessageParser parser;
    private final Classifier classifier;
    private final AssignThread threads;
    private final Clock clock;

    public IngestMessage(MessageParser parser, Classifier classifier, AssignThread threads, Clock clock) {
        this.parser = parser;
        this.classifier = classifier;
        this.threads = threads;
        this.clock = clock;
    }

    /** Stores a message never seen in this mailbox, with its blobs; throws when it cannot be parsed or stored. */
    long store(Handle handle, Mailbox mailbox, String folder, long validity, RawMessage raw, String contentHash) {
        try (ParsedMessage parsed = parse(raw)) {
            handle.attach(BlobDao.class).insertAll(blobsOf(raw, contentHash));
            return store(handle, mailbox, folder, validity, raw, contentHash, parsed, true);
        }
    }

    /**
     * Stores a message never seen in this mailbox, already parsed, whose {@link #blobsOf blobs} are
     * stored; the caller closes {@code parsed}. A {@code copy} (the same bytes stored at another
     * place) joins the thread of that place.
     */
    long store(Handle handle, Mailbox mailbox, String folder, long validity, RawMessage raw, String contentHash,
               ParsedMessage parsed, boolean copy) {
        warnIfCut(mailbox, folder, raw, parsed);
        MessageDao messages = handle.attach(MessageDao.class);
        AssignThread.Threading threading = threading(raw, parsed);
        Long sameThread = copy ? messages.threadOfContent(mailbox.id(), contentHash).orElse(null) : null;
        long threadId = sameThread != null ? threads.join(handle, sameThread, threading)
                : threads.assign(handle, mailbox.id(), threading);
        long id = messages.insert(row(mailbox, folder, validity, raw, contentHash, parsed, threadId));
        storeAttachments(handle, id, parsed.attachments());
        handle.attach(ProcessingQueueDao.class).queueAll(mailbox.id(), new long[]{id});
        return id;
    }

    void warnIfCut(Mailbox mailbox, String folder, RawMessage raw, ParsedMessage parsed) {
        if (parsed.cut()) {
            // Stored all the same (raw bytes whole): a hostile message must not hold up the mailbox.
            LOG.warn("Message {} in {} of mailbox {} was cut while parsing: {}", raw.serverKey(), folder, mailbox.id(),
                    parsed.warnings().subList(0, Math.min(5, parsed.warnings().size())));
        }
    }

    /** What threading needs of a parsed message. */
    AssignThread.Threading threading(RawMessage raw, ParsedMessage parsed) {
        String subject = clean(parsed.subject());
        return new AssignThread.Threading(parsed.messageId(), parsed.inReplyTo(), parsed.references(),
                subject == null ? "" : subject, SubjectKey.of(subject), participants(parsed), sentAt(raw, parsed));
    }

    /** The message row of a parsed message in its thread. */
    NewMessage row(Mailbox mailbox, String folder, long validity, RawMessage raw, String contentHash,
                   ParsedMessage parsed, long threadId) {
        return new NewMessage(mailbox.id(), folder, validity, raw.serverKey(),
                raw.uid() == 0 ? null : raw.uid(), contentHash, raw.content().size(), clean(parsed.messageId()),
                clean(parsed.inReplyTo()), parsed.references().stream().map(IngestMessage::clean).toList(), threadId,
                clean(parsed.from() == null ? null : parsed.from().name()),
                parsed.from() == null ? null : clean(parsed.from().email()),
                json(parsed.to()), json(parsed.cc()), clean(parsed.subject()), sentAt(raw, parsed), receivedAt(raw, parsed),
                List.copyOf(raw.flags()), clean(parsed.text()), clean(parsed.html()), json(parsed.headers()),
                classifier.classify(parsed).id());
    }

    /** The server's arrival date; from a server that keeps none (POP3), the message's own date. */
    private Instant receivedAt(RawMessage raw, ParsedMessage parsed) {
        return raw.internalDate() != null ? raw.internalDate() : parsed.date() != null ? parsed.date() : clock.instant();
    }

    private Instant sentAt(RawMessage raw, ParsedMessage parsed) {
        return parsed.date() != null ? parsed.date() : receivedAt(raw, parsed);
    }

    /** The attachment rows of a stored message. */
    static List<StoredAttachment> attachmentRows(long messageId, List<ParsedAttachment> attachments) {
        return attachments.stream().map(attachment -> new StoredAttachment(messageId, attachment.index(),
                clean(attachment.filename()), attachment.contentType(), attachment.size(),
                attachment.stored() ? attachment.sha256() : null, attachment.part())).toList();
    }

    ParsedMessage parse(RawMessage raw) {
        try {
            java.util.Optional<java.nio.file.Path> file = raw.content().file();
            if (file.isPresent()) {
                // a large message the source spooled is parsed in place, not copied to another file
                return parser.parse(file.get());
            }
            try (InputStream in = raw.content().open()) {
                return parser.parse(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The bytes a new message needs stored before it: its raw form only. Its attachments are in
     * there; their rows say where ({@link ParsedAttachment#part()}), so they are not written twice.
     */
    static List<BlobDao.Blob> blobsOf(RawMessage raw, String contentHash) {
        return List.of(new BlobDao.Blob(contentHash, raw.content()));
    }

    private static void storeAttachments(Handle handle, long messageId, List<ParsedAttachment> attachments) {
        MessageDao messages = handle.attach(MessageDao.class);
        attachmentRows(messageId, attachments).forEach(messages::insertAttachment);
    }

    private static Set<String> participants(ParsedMessage parsed) {
        Set<String> emails = new LinkedHashSet<>();
        Stream.concat(Stream.ofNullable(parsed.from()), Stream.concat(parsed.to().stream(), parsed.cc().stream()))
                .map(Address::email).filter(email -> !email.isBlank()).forEach(emails::add);
        return emails;
    }

    private static String json(Object value) {
        try {
            // jsonb refuses the escape Jackson writes for a NUL character.
            return JSON.writeValueAsString(value).replace("\\u0000", "");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PostgreSQL text cannot hold NUL characters, which broken mail does contain. */
    static String clean(String text) {
        return text == null ? null : text.replace("\u0000", "");
    }
}
