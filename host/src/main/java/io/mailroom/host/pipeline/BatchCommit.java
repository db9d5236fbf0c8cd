package io.mailroom.host.pipeline;

import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.RawMessage;
import io.mailroom.host.filters.MailboxIntake;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.mailboxes.FolderDao;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.messages.MessageDao.KnownContent;
import io.mailroom.host.mailboxes.PollDao;
import io.mailroom.host.messages.QuarantineDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Instant;
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
 * keeps the whole batch and the cursor past it, or neither. A message is one row per place on
 * the server: one already stored at its location is skipped; the same bytes at a place whose
 * old row is gone (moved, or a new UIDVALIDITY) move that row; the same bytes anywhere else are
 * a second row sharing the blob. A message that fails is quarantined with its raw bytes, and one
 * bigger than the size limit is recorded as skipped, while the others go on.
 *
 * <p>Hashing and parsing need no database, so they run on all cores, and the database need not
 * wait for them: the batch is hashed first, then parsed on the workers while this thread writes
 * the raw bytes of the whole batch (one round trip); the rows follow with one statement per table
 * ({@link StoreBatch}). Should a write fail for one message, the batch is written again with a
 * savepoint around each message (its bytes included), and that one is quarantined. Every parse
 * has finished before {@code commit} returns, since the caller then releases the batch's bytes
 * (spooled files are deleted).
 *
 * <p>A source whose server keeps no dates (POP3) hands over mail of any age: the first-sync
 * window is applied here, by the date the parse found, and an older message is recorded as
 * skipped, so that it counts as seen and is not read again. Such a message's raw bytes wait for
 * its parse, so that mail outside the window leaves no bytes behind.
 *
 * <p>Likewise a mailbox that does not take all mail ({@code filter_query}, {@code sync_known_only},
 * {@code contacts_only}): {@link TakeMessages} decides on the parse, in this transaction, and a
 * message not taken is recorded as skipped with its sender, subject, date and reason, its bytes
 * never written.
 */
public final class BatchCommit {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCommit.class);
    /** The constraint that makes a message one row per place on the server (V3). */
    private static final String ONE_ROW_PER_PLACE = "messages_mailbox_id_folder_uid_validity_server_key_key";

    private final Jdbi jdbi;
    private final IngestMessage ingest;
    private final ExecutorService workers;
    private final long maxMessageSize;
    private final StoreBatch storeBatch;
    private final SyncStages stages;
    private final TakeMessages takes;

    /**
     * Hashing and parsing run on {@code workers}, every core, while the batch's transaction
     * waits for the database; whoever made the pool shuts it down. A message of more than
     * {@code maxMessageSize} bytes is recorded as skipped.
     */
    public BatchCommit(Jdbi jdbi, IngestMessage ingest, StoreBatch storeBatch, ExecutorService workers,
                       long maxMessageSize, SyncStages stages, TakeMessages takes) {
        this.stages = stages;
        this.takes = takes;
        this.jdbi = jdbi;
        this.ingest = ingest;
        this.storeBatch = storeBatch;
        this.workers = workers;
        this.maxMessageSize = maxMessageSize;
    }

    /** Commits a batch outside a mailbox's run: it takes the mailbox's lock itself. */
    SyncCounts commit(Mailbox mailbox, String folder, FolderBatch batch, long pollId) {
        try (SyncLock lock = SyncLock.acquire(jdbi, mailbox.id())) {
            return commit(mailbox, folder, batch, pollId, null, lock);
        }
    }

    /**
     * Commits a batch read with the first-sync window {@code notBefore} (null: none) by a run that
     * holds {@code lock}: the batch's transaction confirms it last, and rolls back when it is lost.
     */
    SyncCounts commit(Mailbox mailbox, String folder, FolderBatch batch, long pollId, Instant notBefore, SyncLock lock) {
        long validity = batch.cursorAfter().validity();
        // a mailbox that does not take all mail: each message's bytes wait for the decision, so one not taken leaves none
        MailboxIntake intake = takes.intake(mailbox).orElse(null);
        boolean bytesAfterParse = intake != null;
        List<RawMessage> fresh = notYetStored(mailbox.id(), folder, validity, batch.messages());
        int atLocation = batch.messages().size() - fresh.size();
        // The bytes read decide, not the size the server announced: a source stops reading past the limit.
        List<RawMessage> tooBig = fresh.stream().filter(raw -> raw.content().size() > maxMessageSize).toList();
        List<RawMessage> storable = fresh.stream().filter(raw -> raw.content().size() <= maxMessageSize).toList();
        List<String> hashes = stages.run(SyncStages.PARSE, () -> joinAll(storable.stream()
                .map(raw -> CompletableFuture.supplyAsync(() -> ContentHash.of(raw.content()), workers)).toList()));
        // The workers parse while this thread writes the raw bytes: the CPUs and the database work at once.
        List<CompletableFuture<PreparedMessage>> parsing = new ArrayList<>();
        for (int i = 0; i < storable.size(); i++) {
            RawMessage raw = storable.get(i);
            String hash = hashes.get(i);
            parsing.add(CompletableFuture.supplyAsync(() -> PreparedMessage.of(raw, hash, ingest), workers));
        }
        try {
            try {
                return jdbi.inTransaction(handle -> {
                    stages.run(SyncStages.WRITE, () -> handle.attach(BlobDao.class).insertAll(
                            rawBlobs(storable, hashes, notBefore, bytesAfterParse)));
                    List<PreparedMessage> prepared = stages.run(SyncStages.PARSE, () -> joinAll(parsing));
                    return stages.run(SyncStages.WRITE, () -> write(handle, mailbox, folder, batch, prepared, tooBig,
                            atLocation, pollId, notBefore, intake, lock, false));
                });
            } catch (RuntimeException e) {
                if (storable.isEmpty() || e instanceof UncheckedIOException || e instanceof SyncLock.SyncLockLost) {
                    throw e;
                }
                LOG.warn("Writing a batch of {} failed ({}); writing it message by message", folder, FailureReason.of(e));
                List<PreparedMessage> prepared = stages.run(SyncStages.PARSE, () -> joinAll(parsing));
                return stages.run(SyncStages.WRITE, () -> jdbi.inTransaction(handle -> write(handle, mailbox, folder,
                        batch, prepared, tooBig, atLocation, pollId, notBefore, intake, lock, true)));
            }
        } finally {
            // every parse is finished and its spooled parts released before the caller releases the batch's bytes
            for (CompletableFuture<PreparedMessage> parse : parsing) {
                try {
                    parse.join().close();
                } catch (CompletionException | java.util.concurrent.CancellationException ignored) {
                    // it failed: it holds nothing to release, and the failure was reported when joined
                }
            }
        }
    }

    /** The raw bytes of the batch under their hashes, each hash once; not those whose window only the parse decides. */
    private static List<BlobDao.Blob> rawBlobs(List<RawMessage> raws, List<String> hashes, Instant notBefore,
                                               boolean bytesAfterParse) {
        Map<String, BlobDao.Blob> blobs = new LinkedHashMap<>();
        for (int i = 0; i < raws.size(); i++) {
            if (!bytesAfterParse && !datedByParse(raws.get(i), notBefore)) {
                blobs.putIfAbsent(hashes.get(i), new BlobDao.Blob(hashes.get(i), raws.get(i).content()));
            }
        }
        return List.copyOf(blobs.values());
    }

    /** A message under a first-sync window that its server gave no date: its own date decides, once parsed. */
    private static boolean datedByParse(RawMessage raw, Instant notBefore) {
        return notBefore != null && raw.internalDate() == null;
    }

    /** A parsed message sent before the window; one without a readable date is taken (better one old message than one lost). */
    private static boolean beforeWindow(PreparedMessage message, Instant notBefore) {
        return datedByParse(message.raw(), notBefore) && message.parsed() != null && message.parsed().date() != null
                && message.parsed().date().isBefore(notBefore);
    }

    /** The batch's messages not stored, quarantined or skipped at their location yet (after a crash, some are). */
    private List<RawMessage> notYetStored(long mailboxId, String folder, long validity, List<RawMessage> messages) {
        if (messages.isEmpty()) {
            return messages;
        }
        Set<String> stored = new HashSet<>(jdbi.onDemand(MessageDao.class).keysAt(mailboxId, folder, validity,
                messages.stream().map(RawMessage::serverKey).toArray(String[]::new)));
        return messages.stream().filter(raw -> !stored.contains(raw.serverKey())).toList();
    }

    /** The results in order, once all are done; the first failure is thrown (the caller releases the others). */
    private static <T> List<T> joinAll(List<CompletableFuture<T>> futures) {
        List<T> results = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<T> future : futures) {
            try {
                results.add(future.join());
            } catch (CompletionException e) {
                failure = failure != null ? failure
                        : e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /** A message to store as a new row; {@code copy} when the same bytes are stored at another place. */
    record Fresh(PreparedMessage message, boolean copy) {
    }

    /** Writes the new messages and moves the cursor past the batch, in the caller's transaction, while {@code lock} holds. */
    private SyncCounts write(Handle handle, Mailbox mailbox, String folder, FolderBatch batch,
                             List<PreparedMessage> prepared, List<RawMessage> tooBig, int atLocation, long pollId,
                             Instant notBefore, MailboxIntake intake, SyncLock lock, boolean carefully) {
        long validity = batch.cursorAfter().validity();
        MessageDao messages = handle.attach(MessageDao.class);
        Map<String, List<KnownContent>> known = new HashMap<>();
        if (!prepared.isEmpty()) {
            messages.findByContents(mailbox.id(), prepared.stream().map(PreparedMessage::hash).toArray(String[]::new))
                    .forEach(content -> known.computeIfAbsent(content.hash(), hash -> new ArrayList<>()).add(content));
        }
        SyncCounts counts = SyncCounts.NONE;
        Set<Long> relocated = new HashSet<>();
        List<Fresh> fresh = new ArrayList<>();
        List<RawMessage> old = new ArrayList<>();
        for (PreparedMessage message : prepared) {
            RawMessage raw = message.raw();
            List<KnownContent> places = known.computeIfAbsent(message.hash(), hash -> new ArrayList<>());
            KnownContent moved = places.stream()
                    .filter(place -> place.placeGoneFor(folder, validity) && !relocated.contains(place.id()))
                    .findFirst().orElse(null);
            if (moved != null) {
                // The same bytes whose old place is gone: the message moved, or came back under a new UIDVALIDITY.
                relocated.add(moved.id());
                messages.relocate(moved.id(), folder, validity, raw.serverKey(), raw.uid() == 0 ? null : raw.uid());
                counts = counts.plus(new SyncCounts(1, 0, 1, 0));
                continue;
            }
            if (beforeWindow(message, notBefore)) {
                old.add(raw);
                continue;
            }
            fresh.add(new Fresh(message, !places.isEmpty()));
            places.add(new KnownContent(0, message.hash(), folder, validity, false, null));
        }
        List<PreparedMessage> notTaken = new ArrayList<>();
        List<String> notTakenWhy = new ArrayList<>();
        if (intake != null && !fresh.isEmpty()) {
            List<TakeMessages.Decision> decisions = takes.decide(handle, mailbox, intake, folder,
                    fresh.stream().map(Fresh::message).toList());
            List<Fresh> taken = new ArrayList<>();
            for (int i = 0; i < fresh.size(); i++) {
                TakeMessages.Decision decision = decisions.get(i);
                Fresh f = fresh.get(i);
                if (decision.reason() != null) {
                    notTaken.add(f.message());
                    notTakenWhy.add(decision.reason());
                } else if (decision.failure() != null) {
                    PreparedMessage m = f.message();
                    taken.add(new Fresh(new PreparedMessage(m.raw(), m.hash(), m.parsed(), decision.failure()), f.copy()));
                } else {
                    taken.add(f);
                }
            }
            fresh = taken;
        }
        if (carefully) {
            for (Fresh message : fresh) {
                counts = counts.plus(storeCarefully(handle, mailbox, folder, validity, message));
            }
        } else {
            counts = counts.plus(storeAll(handle, mailbox, folder, validity, fresh, notBefore, intake != null));
        }
        counts = counts.plus(SkipRecords.notTaken(handle, mailbox, folder, validity, notTaken, notTakenWhy, pollId));
        counts = counts.plus(SkipRecords.beforeWindow(handle, mailbox, folder, validity, old, notBefore, pollId));
        for (RawMessage raw : tooBig) {
            counts = counts.plus(SkipRecords.tooBig(handle, mailbox, folder, validity, raw, pollId, maxMessageSize));
        }
        counts = counts.plus(new SyncCounts(atLocation, 0, atLocation, 0));
        handle.attach(FolderDao.class).advance(mailbox.id(), folder, validity, batch.cursorAfter().lastUid());
        handle.attach(PollDao.class).count(pollId, counts.found(), counts.stored(), counts.skipped(), counts.quarantined());
        // last, so that the whole batch was written while the run held the mailbox
        lock.confirm(handle);
        return counts;
    }

    /** The whole batch with one statement per table; any failure fails the batch (then written carefully). */
    private SyncCounts storeAll(Handle handle, Mailbox mailbox, String folder, long validity, List<Fresh> fresh,
                                Instant notBefore, boolean bytesAfterParse) {
        // the raw bytes were written first, while the batch was parsed, unless the parse had to date the message;
        // attachments are read from them
        Map<String, BlobDao.Blob> blobs = new LinkedHashMap<>();
        fresh.stream().filter(f -> bytesAfterParse || datedByParse(f.message().raw(), notBefore))
                .flatMap(f -> IngestMessage.blobsOf(f.message().raw(), f.message().hash()).stream())
                .forEach(blob -> blobs.putIfAbsent(blob.sha256(), blob));
        handle.attach(BlobDao.class).insertAll(blobs.values());
        SyncCounts counts = SyncCounts.NONE;
        List<StoreBatch.Item> parsed = new ArrayList<>();
        for (Fresh f : fresh) {
            if (f.message().failure() != null) {
                counts = counts.plus(quarantine(handle, mailbox, folder, validity, f.message(), f.message().failure()));
            } else {
                parsed.add(new StoreBatch.Item(f.message(), f.copy()));
            }
        }
        storeBatch.store(handle, mailbox, folder, validity, parsed);
        return counts.plus(new SyncCounts(parsed.size(), parsed.size(), 0, 0));
    }

    private SyncCounts store(Handle handle, Mailbox mailbox, String folder, long validity, Fresh fresh) {
        PreparedMessage message = fresh.message();
        if (message.failure() != null) {
            return quarantine(handle, mailbox, folder, validity, message, message.failure());
        }
        ingest.store(handle, mailbox, folder, validity, message.raw(), message.hash(), message.parsed(), fresh.copy());
        return new SyncCounts(1, 1, 0, 0);
    }

    /** One message with its bytes under a savepoint: a write that fails quarantines this message alone. */
    SyncCounts storeCarefully(Handle handle, Mailbox mailbox, String folder, long validity, Fresh fresh) {
        PreparedMessage message = fresh.message();
        handle.savepoint("message");
        try {
            handle.attach(BlobDao.class).insertAll(IngestMessage.blobsOf(message.raw(), message.hash()));
            SyncCounts counts = store(handle, mailbox, folder, validity, fresh);
            handle.release("message");
            return counts;
        } catch (UncheckedIOException e) {
            // the source's bytes cannot be read now: the whole batch is read again next time
            throw e;
        } catch (RuntimeException e) {
            handle.rollbackToSavepoint("message");
            if (storedMeanwhile(e)) {
                LOG.info("Message {} of {} in mailbox {} was stored meanwhile by another run", message.raw().serverKey(),
                        folder, mailbox.id());
                return new SyncCounts(1, 0, 1, 0);
            }
            return quarantineWithBytes(handle, mailbox, folder, validity, message, e);
        }
    }

    /**
     * True when the write failed because a row at the message's place exists: another run stored
     * it after this one looked (see {@link SyncLock#confirm}). It counts as known, not as broken.
     */
    private static boolean storedMeanwhile(Throwable e) {
        return FailureReason.anyCause(e, cause -> cause instanceof PSQLException sql && sql.getServerErrorMessage() != null
                && ONE_ROW_PER_PLACE.equals(sql.getServerErrorMessage().getConstraint()));
    }

    /** Quarantines with the raw bytes, or without them (saying so) when even those cannot be written. */
    private static SyncCounts quarantineWithBytes(Handle handle, Mailbox mailbox, String folder, long validity,
                                                  PreparedMessage message, RuntimeException why) {
        handle.savepoint("raw");
        try {
            handle.attach(BlobDao.class).insertAll(IngestMessage.blobsOf(message.raw(), message.hash()));
            handle.release("raw");
            return quarantine(handle, mailbox, folder, validity, message, why);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            handle.rollbackToSavepoint("raw");
            return quarantine(handle, mailbox, folder, validity, message,
                    new IllegalStateException(FailureReason.of(why) + " (its raw bytes could not be stored either: "
                            + FailureReason.of(e) + ")"));
        }
    }

    private static SyncCounts quarantine(Handle handle, Mailbox mailbox, String folder, long validity,
                                         PreparedMessage message, RuntimeException why) {
        String reason = FailureReason.of(why);
        RawMessage raw = message.raw();
        LOG.warn("Quarantined message {} of {} in mailbox {}: {}", raw.serverKey(), folder, mailbox.id(), reason);
        handle.attach(QuarantineDao.class).insert(mailbox.id(), folder, validity, raw.serverKey(), message.hash(),
                raw.content().size(), reason);
        return new SyncCounts(1, 0, 0, 1);
    }
}
