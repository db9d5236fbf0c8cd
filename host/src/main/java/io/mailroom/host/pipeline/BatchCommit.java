package io.mailroom.host.pipeline;

import io.mailroom.api.MailroomException;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.RawMessage;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.store.BlobDao;
import io.mailroom.host.store.FolderDao;
import io.mailroom.host.store.MessageDao;
import io.mailroom.host.store.MessageDao.KnownContent;
import io.mailroom.host.store.PollDao;
import io.mailroom.host.store.QuarantineDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Stores one batch in one transaction with the folder's cursor, so a crash at any instant either
 * keeps the whole batch and the cursor past it, or neither. A message already stored (at this
 * location, or the same bytes elsewhere in the mailbox) is skipped, and a message that fails is
 * quarantined with its raw bytes while the others go on.
 *
 * <p>Hashing and parsing need no database, so they run before the transaction, on all cores;
 * the transaction then only writes, the raw bytes and attachments of the whole batch in one
 * round trip. Should a write fail for one message, the batch is written again with a savepoint
 * around each message, and that one is quarantined.
 */
final class BatchCommit {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCommit.class);

    private final Jdbi jdbi;
    private final IngestMessage ingest;
    private final ExecutorService workers;

    BatchCommit(Jdbi jdbi, IngestMessage ingest, ExecutorService workers) {
        this.jdbi = jdbi;
        this.ingest = ingest;
        this.workers = workers;
    }

    SyncCounts commit(Mailbox mailbox, String folder, FolderBatch batch, long pollId) {
        long validity = batch.cursorAfter().validity();
        List<RawMessage> fresh = notYetStored(mailbox.id(), folder, validity, batch.messages());
        int atLocation = batch.messages().size() - fresh.size();
        List<PreparedMessage> prepared = prepare(fresh);
        try {
            try {
                return jdbi.inTransaction(handle -> write(handle, mailbox, folder, batch, prepared, atLocation, pollId, false));
            } catch (RuntimeException e) {
                if (prepared.isEmpty() || e instanceof UncheckedIOException) {
                    throw e;
                }
                LOG.warn("Writing a batch of {} failed ({}); writing it message by message", folder, reason(e));
                return jdbi.inTransaction(handle -> write(handle, mailbox, folder, batch, prepared, atLocation, pollId, true));
            }
        } finally {
            prepared.forEach(PreparedMessage::close);
        }
    }

    /** The batch's messages not stored or quarantined at their location yet (after a crash, some are). */
    private List<RawMessage> notYetStored(long mailboxId, String folder, long validity, List<RawMessage> messages) {
        if (messages.isEmpty()) {
            return messages;
        }
        Set<String> stored = new HashSet<>(jdbi.onDemand(MessageDao.class).keysAt(mailboxId, folder, validity,
                messages.stream().map(RawMessage::serverKey).toArray(String[]::new)));
        return messages.stream().filter(raw -> !stored.contains(raw.serverKey())).toList();
    }

    private List<PreparedMessage> prepare(List<RawMessage> messages) {
        List<CompletableFuture<PreparedMessage>> futures = messages.stream()
                .map(raw -> CompletableFuture.supplyAsync(() -> PreparedMessage.of(raw, ingest), workers)).toList();
        List<PreparedMessage> prepared = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<PreparedMessage> future : futures) {
            try {
                prepared.add(future.join());
            } catch (CompletionException e) {
                failure = failure != null ? failure
                        : e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            prepared.forEach(PreparedMessage::close);
            throw failure;
        }
        return prepared;
    }

    /** Writes the new messages and moves the cursor past the batch, in the caller's transaction. */
    private SyncCounts write(Handle handle, Mailbox mailbox, String folder, FolderBatch batch,
                             List<PreparedMessage> prepared, int atLocation, long pollId, boolean carefully) {
        long validity = batch.cursorAfter().validity();
        MessageDao messages = handle.attach(MessageDao.class);
        Map<String, KnownContent> known = new HashMap<>();
        if (!prepared.isEmpty()) {
            messages.findByContents(mailbox.id(), prepared.stream().map(PreparedMessage::hash).toArray(String[]::new))
                    .forEach(content -> known.put(content.hash(), content));
        }
        SyncCounts counts = SyncCounts.NONE;
        List<PreparedMessage> fresh = new ArrayList<>();
        Map<String, BlobDao.Blob> blobs = new LinkedHashMap<>();
        for (PreparedMessage message : prepared) {
            RawMessage raw = message.raw();
            KnownContent same = known.get(message.hash());
            if (same != null) {
                // The same bytes are stored: a new UIDVALIDITY, or the message moved. Note where it is now.
                if (same.folder().equals(folder) || same.deletedOnServer()) {
                    messages.relocate(same.id(), folder, validity, raw.serverKey(), raw.uid() == 0 ? null : raw.uid());
                }
                counts = counts.plus(new SyncCounts(1, 0, 1, 0));
                continue;
            }
            known.put(message.hash(), new KnownContent(0, message.hash(), folder, false));
            fresh.add(message);
            IngestMessage.blobsOf(raw, message.hash(), message.parsed()).forEach(blob -> blobs.putIfAbsent(blob.sha256(), blob));
        }
        handle.attach(BlobDao.class).insertAll(blobs.values());
        for (PreparedMessage message : fresh) {
            counts = counts.plus(carefully ? storeCarefully(handle, mailbox, folder, validity, message)
                    : store(handle, mailbox, folder, validity, message));
        }
        counts = counts.plus(new SyncCounts(atLocation, 0, atLocation, 0));
        handle.attach(FolderDao.class).advance(mailbox.id(), folder, validity, batch.cursorAfter().lastUid());
        handle.attach(PollDao.class).count(pollId, counts.found(), counts.stored(), counts.skipped(), counts.quarantined());
        return counts;
    }

    private SyncCounts store(Handle handle, Mailbox mailbox, String folder, long validity, PreparedMessage message) {
        if (message.failure() != null) {
            return quarantine(handle, mailbox, folder, validity, message, message.failure());
        }
        ingest.store(handle, mailbox, folder, validity, message.raw(), message.hash(), message.parsed());
        return new SyncCounts(1, 1, 0, 0);
    }

    private SyncCounts storeCarefully(Handle handle, Mailbox mailbox, String folder, long validity,
                                      PreparedMessage message) {
        handle.savepoint("message");
        try {
            SyncCounts counts = store(handle, mailbox, folder, validity, message);
            handle.release("message");
            return counts;
        } catch (RuntimeException e) {
            handle.rollbackToSavepoint("message");
            return quarantine(handle, mailbox, folder, validity, message, e);
        }
    }

    private static SyncCounts quarantine(Handle handle, Mailbox mailbox, String folder, long validity,
                                         PreparedMessage message, RuntimeException why) {
        String reason = reason(why);
        RawMessage raw = message.raw();
        LOG.warn("Quarantined message {} of {} in mailbox {}: {}", raw.serverKey(), folder, mailbox.id(), reason);
        handle.attach(QuarantineDao.class).insert(mailbox.id(), folder, validity, raw.serverKey(), message.hash(),
                raw.content().size(), reason);
        return new SyncCounts(1, 0, 0, 1);
    }

    /**
     * A sentence for the quarantine list and poll log: an extension's or parser's own message,
     * or for anything else the root cause's (a database error without the statement around it).
     */
    static String reason(Throwable e) {
        Throwable chosen = e;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            chosen = cause;
            if (cause instanceof MailroomException) {
                break;
            }
        }
        String message = chosen.getMessage();
        return message == null || message.isBlank() ? chosen.getClass().getSimpleName() : message;
    }
}
