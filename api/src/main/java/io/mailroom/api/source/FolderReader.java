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
