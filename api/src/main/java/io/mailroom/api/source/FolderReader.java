package io.mailroom.api.source;

import java.util.List;

/**
 * Reads one open folder in batches, oldest first. The host commits each batch together with
 * its {@link FolderBatch#cursorAfter()} before it asks for the next, so a crash between batches
 * repeats at most the batch in flight, which the host recognises and skips.
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
