package io.mailroom.host.pipeline;

import io.mailroom.api.MailroomException;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.RawMessage;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.store.BlobDao;
import io.mailroom.host.store.FolderDao;
import io.mailroom.host.store.MessageDao;
import io.mailroom.host.store.PollDao;
import io.mailroom.host.store.QuarantineDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Stores one batch in one transaction with the folder's cursor, so a crash at any instant either
 * keeps the whole batch and the cursor past it, or neither. Within the batch, a message already
 * stored (at this location, or the same bytes elsewhere in the mailbox) is skipped, and a
 * message that fails is quarantined with its raw bytes while the others go on.
 */
final class BatchCommit {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCommit.class);

    private final Jdbi jdbi;
    private final IngestMessage ingest;

    BatchCommit(Jdbi jdbi, IngestMessage ingest) {
        this.jdbi = jdbi;
        this.ingest = ingest;
    }

    SyncCounts commit(Mailbox mailbox, String folder, FolderBatch batch, long pollId) {
        long validity = batch.cursorAfter().validity();
        return jdbi.inTransaction(handle -> {
            SyncCounts counts = SyncCounts.NONE;
            for (RawMessage raw : batch.messages()) {
                counts = counts.plus(store(handle, mailbox, folder, validity, raw));
            }
            handle.attach(FolderDao.class).advance(mailbox.id(), folder, validity, batch.cursorAfter().lastUid());
            handle.attach(PollDao.class).count(pollId, counts.found(), counts.stored(), counts.skipped(),
                    counts.quarantined());
            return counts;
        });
    }

    private SyncCounts store(Handle handle, Mailbox mailbox, String folder, long validity, RawMessage raw) {
        MessageDao messages = handle.attach(MessageDao.class);
        QuarantineDao quarantine = handle.attach(QuarantineDao.class);
        if (messages.existsAt(mailbox.id(), folder, validity, raw.serverKey())
                || quarantine.existsAt(mailbox.id(), folder, validity, raw.serverKey())) {
            return new SyncCounts(1, 0, 1, 0);
        }
        String hash = ContentHash.of(raw.content());
        Optional<MessageDao.KnownContent> known = messages.findByContent(mailbox.id(), hash);
        if (known.isPresent()) {
            // The same bytes are stored: a new UIDVALIDITY, or the message moved. Note where it is now.
            if (known.get().folder().equals(folder) || known.get().deletedOnServer()) {
                messages.relocate(known.get().id(), folder, validity, raw.serverKey(), raw.uid() == 0 ? null : raw.uid());
            }
            return new SyncCounts(1, 0, 1, 0);
        }
        storeBlob(handle, hash, raw);
        handle.savepoint("message");
        try {
            ingest.store(handle, mailbox, folder, validity, raw, hash);
            handle.release("message");
            return new SyncCounts(1, 1, 0, 0);
        } catch (RuntimeException e) {
            handle.rollbackToSavepoint("message");
            String reason = reason(e);
            LOG.warn("Quarantined message {} of {} in mailbox {}: {}", raw.serverKey(), folder, mailbox.id(), reason);
            quarantine.insert(mailbox.id(), folder, validity, raw.serverKey(), hash, raw.content().size(), reason);
            return new SyncCounts(1, 0, 0, 1);
        }
    }

    private static void storeBlob(Handle handle, String hash, RawMessage raw) {
        try (InputStream in = raw.content().open()) {
            handle.attach(BlobDao.class).insert(hash, raw.content().size(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
