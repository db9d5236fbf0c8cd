package io.mailroom.host.pipeline;

import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxConnector;
import io.mailroom.host.mailboxes.SkippedDao;
import io.mailroom.host.mailboxes.TakeSkipped;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.messages.QuarantineDao;
import io.mailroom.host.store.Database;
import java.util.Map;

/**
 * Takes one skipped message: under the mailbox's sync lock (so no sync stores the same place
 * meanwhile), reads it by its key from the server and stores it through the batch's own
 * per-message path, which quarantines it when it cannot be parsed, in the transaction that drops
 * its skipped record.
 */
public final class FetchSkipped implements TakeSkipped {

    private final Database database;
    private final MailboxConnector connector;
    private final IngestMessage ingest;
    private final BatchCommit batch;
    private final long maxMessageSize;

    public FetchSkipped(Database database, MailboxConnector connector, IngestMessage ingest, BatchCommit batch,
                        long maxMessageSize) {
        this.database = database;
        this.connector = connector;
        this.ingest = ingest;
        this.batch = batch;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public Taken take(Mailbox mailbox, SkippedDao.Skipped skipped) {
        if (skipped.size() > maxMessageSize) {
            throw tooLarge(skipped.size());
        }
        try (SyncLock lock = SyncLock.tryAcquire(database.jdbi(), mailbox.id()).orElseThrow(() -> new ApiException(409,
                "sync_running", "mailbox " + mailbox.id() + " is syncing; take the message when the sync is done",
                Map.of()));
             SourceConnection connection = connector.connect(mailbox)) {
            RawMessage raw = connection.fetch(skipped.folder(), skipped.uidValidity(), skipped.serverKey(),
                    maxMessageSize + 1).orElseThrow(() -> ApiException.notFound("message " + skipped.serverKey()
                    + " of " + skipped.folder() + " on the server"));
            try {
                if (raw.content().size() > maxMessageSize) {
                    throw tooLarge(raw.content().size());
                }
                return store(mailbox, skipped, raw, lock);
            } finally {
                raw.content().release();
            }
        }
    }

    private Taken store(Mailbox mailbox, SkippedDao.Skipped skipped, RawMessage raw, SyncLock lock) {
        String hash = ContentHash.of(raw.content());
        try (PreparedMessage prepared = PreparedMessage.of(raw, hash, ingest)) {
            return database.jdbi().inTransaction(handle -> {
                SyncCounts counts = batch.storeCarefully(handle, mailbox, skipped.folder(), skipped.uidValidity(),
                        new BatchCommit.Fresh(prepared, true));
                handle.attach(SkippedDao.class).delete(skipped.id());
                lock.confirm(handle);
                if (counts.quarantined() > 0) {
                    return new Taken("quarantined", handle.attach(QuarantineDao.class).idAt(mailbox.id(),
                            skipped.folder(), skipped.uidValidity(), skipped.serverKey()));
                }
                return new Taken("stored", handle.attach(MessageDao.class).idAt(mailbox.id(), skipped.folder(),
                        skipped.uidValidity(), skipped.serverKey()));
            });
        }
    }

    private ApiException tooLarge(long size) {
        return new ApiException(409, "too_large", "the message has " + size + " bytes, more than the "
                + maxMessageSize + " this host stores (mailroom.max.message.size)", Map.of());
    }
}
