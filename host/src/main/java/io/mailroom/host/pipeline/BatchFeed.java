package io.mailroom.host.pipeline;

import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.FolderReader.FolderBatch;
import org.slf4j.MDC;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Hands a folder sync its batches. When the reader allows it ({@link FolderReader#readsAhead()}),
 * the next batch is read on a thread of this feed while the caller writes the one before, so the
 * server and the database work at once instead of in turn.
 *
 * <p>Back-pressure: at most one batch is read ahead, and only when the caller asks for it, so a
 * sync holds at most two batches (each at most {@link FolderSync#MAX_BATCH_BYTES} beyond its
 * first message, large messages in the spool's files). Calls on the reader never overlap:
 * {@link #settle()} waits for the read in flight before the caller uses the reader or its
 * connection again, and {@link #close()} waits for it and releases a batch read but not taken.
 *
 * <p>Stage timers: {@code fetch} is the time the server took for a batch, on whichever thread;
 * {@code fetch_wait} is the part of it the writing side waited for, which reading ahead hides.
 */
final class BatchFeed implements AutoCloseable {

    private final FolderReader reader;
    private final int maxMessages;
    private final long maxBytes;
    private final SyncStages stages;
    /** The thread that reads ahead; null for a reader read in turn. */
    private final ExecutorService ahead;
    private CompletableFuture<FolderBatch> pending;

    BatchFeed(FolderReader reader, int maxMessages, long maxBytes, SyncStages stages) {
        this.reader = reader;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.stages = stages;
        this.ahead = reader.readsAhead()
                ? Executors.newSingleThreadExecutor(Thread.ofPlatform().name("mailroom-fetch").daemon().factory())
                : null;
    }

    /** The next batch: the one read ahead (waiting for it if need be), or one read now. */
    FolderBatch next() {
        if (pending == null) {
            return stages.run(SyncStages.FETCH, this::read);
        }
        CompletableFuture<FolderBatch> read = pending;
        pending = null;
        return stages.run(SyncStages.FETCH_WAIT, () -> join(read));
    }

    /** Starts reading the batch after the one the caller holds, if the reader allows it and none is read yet. */
    void readAhead() {
        if (ahead == null || pending != null) {
            return;
        }
        Map<String, String> context = MDC.getCopyOfContextMap();
        pending = CompletableFuture.supplyAsync(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                return stages.run(SyncStages.FETCH, this::read);
            } finally {
                MDC.clear();
            }
        }, ahead);
    }

    /**
     * Waits until no read is in flight, so the reader and its connection are free; false when the
     * read failed (the failure is thrown by {@link #next}).
     */
    boolean settle() {
        if (pending != null) {
            try {
                pending.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                return false;
            }
        }
        return true;
    }

    /** Waits for a read in flight and releases the content of a batch read but not taken. */
    @Override
    public void close() {
        try {
            if (pending != null) {
                settle();
                if (!pending.isCompletedExceptionally()) {
                    FolderSync.release(pending.join());
                }
                pending = null;
            }
        } finally {
            if (ahead != null) {
                ahead.shutdown();
            }
        }
    }

    private FolderBatch read() {
        return reader.next(maxMessages, maxBytes);
    }

    private static FolderBatch join(CompletableFuture<FolderBatch> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
