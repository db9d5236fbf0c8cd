package io.mailroom.api.source;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A logged-in connection to one mailbox. Used by one thread at a time (but see
 * {@link #awaitChange}); the caller closes it.
 * Every method may throw the exceptions described on {@link MailSource}.
 */
public interface SourceConnection extends AutoCloseable {

    /** What the server announced (IMAP {@code CAPABILITY}, POP3 {@code CAPA}), as it wrote it. */
    List<String> capabilities();

    /** The server's folders with their attributes and message counts. */
    List<FolderInfo> folders();

    /**
     * Opens a folder to read the messages after {@code cursor}. When the server's
     * {@link FolderReader#serverCursor() validity} differs from the cursor's, every message of
     * the folder is read again and the host matches them against what it stored.
     */
    FolderReader open(String folder, SyncCursor cursor, FetchOptions options);

    /**
     * Carries out actions on messages the host has already committed. Idempotent: an action on
     * a message already seen, moved or deleted succeeds without effect, because after a crash
     * the host repeats the actions it cannot prove were done.
     *
     * @param validity the folder's UIDVALIDITY when the messages were read (0 where the protocol
     *                 has none); when the server's differs, the keys may name other messages now,
     *                 so nothing is done
     */
    void apply(String folder, long validity, List<PostAction> actions);

    /**
     * Whether this connection can wait for new mail ({@link #awaitChange}), e.g. the server
     * offers IMAP IDLE. The host then watches the mailbox instead of only polling it.
     */
    default boolean supportsPush() {
        return false;
    }

    /**
     * Waits until the folder may have changed (new mail, expunges, flag changes) or the timeout
     * passes, holding this connection for the folder alone (IMAP IDLE). The host then syncs the
     * folder through another connection, and calls this again. Changes made while the host was
     * syncing end the next wait at once. The first call on a connection returns true at once:
     * the caller cannot know what changed before the watch began, so it syncs.
     *
     * <p>Threading: the only call on this connection that another thread may interrupt, by
     * calling {@link #close()}; the wait then ends with an exception or {@code false}.
     *
     * @return true when the server told of a change, false when the timeout passed
     * @throws UnsupportedOperationException when {@link #supportsPush()} is false
     */
    default boolean awaitChange(String folder, Duration timeout) {
        throw new UnsupportedOperationException("this source cannot wait for new mail");
    }

    /** Whether this connection can store a message in a folder of the server ({@link #append}). */
    default boolean supportsAppend() {
        return false;
    }

    /**
     * Stores {@code content} exactly as given (byte for byte) as a new message in {@code folder}
     * with {@code flags} (system flags such as {@code \Seen}, as IMAP names them). The host uses
     * it to copy what it sent into the server's Sent folder, so other clients see it; it picks
     * the folder from {@link #folders()} ({@code \Sent} special use, RFC 6154) and later
     * recognises the copy by its bytes when it syncs that folder.
     *
     * @throws UnsupportedOperationException when {@link #supportsAppend()} is false
     * @throws io.mailroom.api.PermanentException when the folder does not exist or refuses the message
     */
    default void append(String folder, RawContent content, Set<String> flags) {
        throw new UnsupportedOperationException("this source cannot store messages on its server");
    }

    /**
     * Reads one message by its key, as a {@link FolderReader} would hand it over (into the host's
     * spool, at most {@code readLimit} bytes) and without marking it read: for an admin who takes a
     * message the mailbox passed over. The host releases the content once it is stored.
     *
     * @param validity the folder's UIDVALIDITY when the key was read (0 where the protocol has none)
     * @return the message, or empty when it is gone or the folder's validity is no longer {@code validity}
     * @throws UnsupportedOperationException when the source cannot read a message by its key
     */
    default Optional<RawMessage> fetch(String folder, long validity, String serverKey, long readLimit) {
        throw new UnsupportedOperationException("this source cannot read a message by its key");
    }

    /** Logs out and releases the connection; never throws for a connection that is already gone. */
    @Override
    void close();
}
