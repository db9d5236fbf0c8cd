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
import io.mailroom.host.messages.ProcessingStepDao;
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
    private final ProcessingChain chain;

    /**
     * {@code ingest}, {@code classifier} and {@code chain} are the sync's own: a message goes
     * through the same stages again, its processing chain included.
     */
    public Reprocessing(Jdbi jdbi, MessageParser parser, IngestMessage ingest, Classifier classifier,
                        ProcessingChain chain) {
        this.chain = chain;
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
        long id = jdbi.inTransaction(handle -> {
            Mailbox mailbox = handle.attach(MailboxDao.class).find(quarantined.mailboxId()).orElseThrow();
            long stored = ingest.store(handle, mailbox, quarantined.folder(), quarantined.uidValidity(), message,
                    quarantined.contentHash());
            handle.attach(QuarantineDao.class).delete(quarantined.id());
            return stored;
        });
        // stored and queued like a synced message: its chain runs now, so the answer shows what it did
        chain.runMessage(id);
        return id;
    }

    /**
     * Parses and classifies a stored message again, updating what parsing derives, and runs its
     * processing chain again: steps already recorded are not repeated, unless
     * {@code repeatActions}, which starts a new generation (new idempotency keys).
     */
    @Override
    public void reprocess(StoredMessage message, boolean repeatActions) {
        try (ParsedMessage parsed = parse(blob(message.contentHash()))) {
            jdbi.onDemand(MessageDao.class).updateParsed(message.id(), IngestMessage.clean(parsed.subject()),
                    IngestMessage.clean(parsed.text()), IngestMessage.clean(parsed.html()),
                    classifier.classify(parsed).id());
        }
        jdbi.useTransaction(handle -> {
            int last = handle.attach(ProcessingStepDao.class).lastGeneration(message.id());
            handle.attach(ProcessingQueueDao.class).queue(message.id(), message.mailboxId(),
                    repeatActions ? last + 1 : last);
        });
        chain.runMessage(message.id());
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
