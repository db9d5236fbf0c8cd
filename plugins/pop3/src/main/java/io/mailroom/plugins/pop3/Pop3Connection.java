package io.mailroom.plugins.pop3;

import io.mailroom.api.PermanentException;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.source.ContentSpool;
import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.PostAction;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A POP3 mailbox as a {@link SourceConnection}: one folder, {@code INBOX}. A POP3 session ends
 * when deletions are to take effect (QUIT), so this connection logs in again when it is used
 * after a folder reader closed or after {@link #apply}.
 */
final class Pop3Connection implements SourceConnection {

    static final String INBOX = "INBOX";

    private final Supplier<Pop3Session> login;
    private final ReaderFactory readers;
    private final ContentSpool spool;
    private final System.Logger log;
    private Pop3Session session;
    private Pop3FolderReader reader;

    /** Opens a reader on a session (the source's settings, clock and spool are bound in). */
    @FunctionalInterface
    interface ReaderFactory {
        Pop3FolderReader open(Pop3Session session, FetchOptions options);
    }

    Pop3Connection(Pop3Session first, Supplier<Pop3Session> login, ReaderFactory readers, ContentSpool spool,
                   System.Logger log) {
        this.session = first;
        this.login = login;
        this.readers = readers;
        this.spool = spool;
        this.log = log;
    }

    @Override
    public List<String> capabilities() {
        return session().capabilities();
    }

    @Override
    public List<FolderInfo> folders() {
        return List.of(new FolderInfo(INBOX, Set.of(), session().messageCount()));
    }

    @Override
    public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
        requireInbox(folder);
        if (readerOpen()) {
            throw new IllegalStateException("a POP3 connection reads its folder with one reader at a time");
        }
        reader = readers.open(session(), options);
        return reader;
    }

    /**
     * Deletes messages by UIDL (MarkSeen and MoveTo mean nothing in POP3). Without an open
     * reader the session ends with QUIT at once, so the deletions are done when this returns;
     * with one, they take effect when the reader closes.
     */
    @Override
    public void apply(String folder, long validity, List<PostAction> actions) {
        Set<String> doomed = actions.stream().filter(action -> action instanceof PostAction.Delete)
                .map(PostAction::serverKey).collect(Collectors.toSet());
        if (doomed.isEmpty() || validity != 0 || !INBOX.equalsIgnoreCase(folder)) {
            return;
        }
        Pop3Session current = session();
        current.delete(current.listing().stream().filter(message -> doomed.contains(message.uidl())).toList());
        if (!readerOpen()) {
            current.quit();
        }
    }

    /** RETR of the message with this UIDL; POP3 marks nothing on reading, and only INBOX (validity 0) exists. */
    @Override
    public Optional<RawMessage> fetch(String folder, long validity, String serverKey, long readLimit) {
        requireInbox(folder);
        if (validity != 0) {
            return Optional.empty();
        }
        if (readerOpen()) {
            throw new IllegalStateException("a POP3 connection reads its folder with one reader at a time");
        }
        Pop3Session current = session();
        return current.listing().stream().filter(message -> message.uidl().equals(serverKey)).findFirst()
                .flatMap(message -> current.retrieve(List.of(message), spool, readLimit).stream().findFirst())
                .map(retrieved -> new RawMessage(retrieved.message().uidl(), 0, null, Set.of(), retrieved.content()));
    }

    @Override
    public void close() {
        try {
            if (reader != null) {
                reader.close();
            }
            if (session != null && session.isOpen()) {
                session.quit();
            }
        } catch (RuntimeException e) {
            // closing never fails: the server drops a session that does not QUIT, deletions undone
            log.log(System.Logger.Level.DEBUG, "POP3 logout failed: {0}", e.getMessage());
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    private Pop3Session session() {
        if (session == null || !session.isOpen()) {
            if (readerOpen()) {
                throw new TemporaryException("the POP3 session of the open folder reader has ended");
            }
            session = login.get();
        }
        return session;
    }

    private boolean readerOpen() {
        return reader != null && !reader.isClosed();
    }

    private static void requireInbox(String folder) {
        if (!INBOX.equalsIgnoreCase(folder)) {
            throw new PermanentException("POP3 has one folder, INBOX; there is no folder " + folder);
        }
    }
}
