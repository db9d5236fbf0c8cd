package io.mailroom.api.source;

import java.util.List;

/**
 * A logged-in connection to one mailbox. Used by one thread at a time; the caller closes it.
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

    /** Logs out and releases the connection; never throws for a connection that is already gone. */
    @Override
    void close();
}
