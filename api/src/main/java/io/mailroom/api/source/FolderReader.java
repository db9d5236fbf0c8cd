package io.mailroom.api.source;

import java.util.List;

/**
 * Reads one open folder in batches, oldest first. The host commits each batch together with
 * its {@link FolderBatch#cursorAfter()}, so a crash repeats at most the batches not committed
 * yet, which the host recognises and skips.
 *
 * <p>Two ways to be read, chosen by the reader ({@link #readsAhead()}):
 * <ul>
 *   <li>In turn (the default): the host commits a batch before it asks for the next, so a
 *       reader may take a call to {@link #next} as proof that the previous batch is stored, and
 *       drop its bytes then.</li>
 *   <li>Ahead: the host asks for batch N+1 while it writes batch N, so the server, the CPUs and
 *       the database work at once. The host then holds at most one batch besides the one it
 *       writes (memory stays bounded by two batches), the content of every batch stays readable
 *       after {@code next} (the host {@linkplain RawContent#release() releases} it; a
 *       {@link ContentSpool} does this), and a batch is known to be stored only when
 *       {@link #committed} says so. A batch read ahead may never be committed (the run stopped,
 *       or the batch before failed): then the reader is closed, and the next sync reads it
 *       again from the committed cursor.</li>
 * </ul>
 *
 * <p>Threading: calls on a reader never overlap, but in the second way {@link #next} may run on
 * another thread than the other calls. The connection the reader came from is not used while
 * {@code next} runs.
 */
public interface FolderReader extends AutoCloseable {

    /** The folder's state on the server when it was opened. */
    SyncCursor serverCursor();

    /**
     * The next messages, at most {@code maxMessages} of them and, beyond the first message,
     * at most {@code maxBytes} of content. An empty batch means the folder is drained.
     */
    FolderBatch next(int maxMessages, long maxBytes);

    /**
     * How many messages this reader still means to hand over, as counted when the folder was
     * opened (the UIDs a search found, the POP3 keys not stored yet), or -1 when the source
     * cannot tell without extra work. It is a progress figure, not a promise: messages expunged
     * meanwhile or passed over by a filter make the batches hold fewer. The host shows it as a
     * poll's {@code total}; with -1 it estimates from the folder listing.
     */
    default long remaining() {
        return -1;
    }

    /**
     * Flag changes and expunges since the cursor the folder was opened with, for servers that
     * can tell them cheaply (CONDSTORE/QRESYNC); {@link FolderChanges#NONE} otherwise.
     */
    default FolderChanges changes() {
        return FolderChanges.NONE;
    }

    /**
     * Whether the host may ask for the next batch before it has committed the previous one
     * (see the type's comment). A reader that says so keeps every batch's content readable
     * until the host releases it, and learns of commits only from {@link #committed}.
     */
    default boolean readsAhead() {
        return false;
    }

    /**
     * The host committed {@code batch}, the one {@link #next} returned, with its cursor: what a
     * source does only once a message is stored (POP3's delete after import) may happen now.
     * Batches are committed in the order they were read; called for every committed batch,
     * whichever way the reader is read, and never while {@code next} runs.
     */
    default void committed(FolderBatch batch) {
    }

    /** Ends the reading; with reading ahead, batches not confirmed by {@link #committed} were not stored. */
    @Override
    void close();

    /**
     * A batch of messages and the cursor that covers them.
     */
    record FolderBatch(List<RawMessage> messages, SyncCursor cursorAfter) {

        public FolderBatch {
            messages = List.copyOf(messages);
        }

        public boolean isEmpty() {
            return messages.isEmpty();
        }
    }
}
