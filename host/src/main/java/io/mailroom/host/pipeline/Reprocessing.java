package io.mailroom.host.pipeline;

import io.mailroom.api.source.RawContent;
import io.mailroom.api.source.RawMessage;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.messages.QuarantinedMessage;
import io.mailroom.host.messages.Reprocess;
import io.mailroom.host.messages.StoredMessage;
import io.mailroom.host.mime.Classifier;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedMessage;
import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.messages.QuarantineDao;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/** Runs stored raw bytes through the pipeline again: a quarantined message on retry, a stored one on reprocess. */
public final class Reprocessing implements Reprocess {

    private final Jdbi jdbi;
    private final MessageParser parser;
    private final IngestMessage ingest;
    private final Classifier classifier;

    /** {@code ingest} and {@code classifier} are the sync's own: a message goes through the same stages again. */
    public Reprocessing(Jdbi jdbi, MessageParser parser, IngestMessage ingest, Classifier classifier) {
        this.jdbi = jdbi;
        this.parser = parser;
        this.ingest = ingest;
        this.classifier = classifier;
    }

    /**
     * Parses and stores a quarantined message, and takes it out of quarantine.
     *
     * @return the stored message's id
     * @throws RuntimeException with the reason when it still fails; it stays quarantined
     */
    @Override
    public long retry(QuarantinedMessage quarantined) {
        byte[] raw = blob(quarantined.contentHash());
        RawMessage message = new RawMessage(quarantined.serverKey(), uidOf(quarantined.serverKey()),
                quarantined.receivedAt(), Set.of(), RawContent.of(raw));
        return jdbi.inTransaction(handle -> {
            Mailbox mailbox = handle.attach(MailboxDao.class).find(quarantined.mailboxId()).orElseThrow();
            long id = ingest.store(handle, mailbox, quarantined.folder(), quarantined.uidValidity(), message,
                    quarantined.contentHash());
            handle.attach(QuarantineDao.class).delete(quarantined.id());
            return id;
        });
    }

    /** Parses and classifies a stored message again, updating what parsing derives. */
    @Override
    public void reprocess(StoredMessage message) {
        try (ParsedMessage parsed = parse(blob(message.contentHash()))) {
            jdbi.onDemand(MessageDao.class).updateParsed(message.id(), IngestMessage.clean(parsed.subject()),
                    IngestMessage.clean(parsed.text()), IngestMessage.clean(parsed.html()),
                    classifier.classify(parsed).id());
        }
    }

    private ParsedMessage parse(byte[] raw) {
        try {
            return parser.parse(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] blob(String hash) {
        return jdbi.onDemand(BlobDao.class).content(hash)
                .orElseThrow(() -> new IllegalStateException("the raw bytes " + hash + " are missing"));
    }

    private static long uidOf(String serverKey) {
        try {
            return Long.parseLong(serverKey);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
