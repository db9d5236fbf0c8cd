package io.mailroom.plugins.pop3;

import io.mailroom.api.MailroomException;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.source.ContentSpool;
import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.plugins.pop3.Pop3Session.Retrieved;
import io.mailroom.plugins.pop3.Pop3Settings.ServerCopy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the POP3 maildrop: the listed messages the host has not stored, oldest first, in
 * batches. The cursor is the host's set of stored UIDLs ({@link FetchOptions#known()}), so the
 * {@link SyncCursor} is always {@link SyncCursor#START}.
 *
 * <p>Deleting (server_copy): a message is marked with DELE only once the host has stored it,
 * which the host proves in two ways: {@code known()} says so, or the host tells that the batch
 * holding it was {@link #committed}. A batch read ahead and never committed is never marked.
 * The marks take effect at QUIT, on {@link #close()}; a connection lost first applies none of
 * them, and the next session marks the same messages again, because they are known by then.
 *
 * <p>POP3 keeps no dates, and this reader reads none from the mail: every new message is handed
 * over with no internal date, and the host applies the first-sync window by the date it parses.
 *
 * <p>Messages go to the host's spool ({@link io.mailroom.api.ExtensionContext#spool()}), which
 * owns their content: it outlives {@link #next}, so the host may read ahead.
 */
final class Pop3FolderReader implements FolderReader {

    private final Pop3Session session;
    private final ServerCopy serverCopy;
    private final ContentSpool spool;
    private final long readLimit;
    private final System.Logger log;
    private final Deque<ListedMessage> pending;
    /** Messages handed to the host and not yet committed, by UIDL. */
    private final Map<String, ListedMessage> unconfirmed = new HashMap<>();
    private boolean failed;
    private boolean closed;

    private Pop3FolderReader(Pop3Session session, ServerCopy serverCopy, ContentSpool spool, long readLimit,
                             System.Logger log, List<ListedMessage> pending) {
        this.session = session;
        this.serverCopy = serverCopy;
        this.spool = spool;
        this.readLimit = readLimit;
        this.log = log;
        this.pending = new ArrayDeque<>(pending);
    }

    /**
     * Lists the maildrop, marks stored messages for deletion as the mode asks (by the dates the
     * host parsed when it stored them), and keeps the new messages to read.
     */
    static Pop3FolderReader open(Pop3Session session, Pop3Settings settings, FetchOptions options, Clock clock,
                                 ContentSpool spool, System.Logger log) {
        List<ListedMessage> listing = session.listing();
        Set<String> stored = options.known().knownAmong(listing.stream().map(ListedMessage::uidl).toList());
        List<ListedMessage> known = new ArrayList<>();
        List<ListedMessage> fresh = new ArrayList<>();
        for (ListedMessage message : listing) {
            (stored.contains(message.uidl()) ? known : fresh).add(message);
        }
        switch (settings.serverCopy()) {
            case KEEP -> { }
            case DELETE_AFTER_IMPORT -> session.delete(known);
            case DELETE_AFTER_DAYS -> {
                Instant cutoff = clock.instant().minus(settings.deleteAfterDays());
                Map<String, Instant> sent = options.known().sentAmong(known.stream().map(ListedMessage::uidl).toList());
                session.delete(known.stream().filter(message -> {
                    Instant date = sent.get(message.uidl());
                    return date != null && date.isBefore(cutoff);
                }).toList());
            }
        }
        return new Pop3FolderReader(session, settings.serverCopy(), spool, options.readLimit(), log, fresh);
    }

    @Override
    public SyncCursor serverCursor() {
        return SyncCursor.START;
    }

    @Override
    public FolderBatch next(int maxMessages, long maxBytes) {
        if (closed) {
            throw new IllegalStateException("the POP3 folder reader is closed");
        }
        if (failed) {
            throw new TemporaryException("the POP3 connection failed earlier in this sync; it is tried again later");
        }
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, not " + maxMessages);
        }
        try {
            List<Retrieved> retrieved = List.of();
            while (retrieved.isEmpty() && !pending.isEmpty()) {
                retrieved = session.retrieve(take(maxMessages, maxBytes), spool, readLimit);
            }
            retrieved.forEach(r -> unconfirmed.put(r.message().uidl(), r.message()));
            List<RawMessage> messages = retrieved.stream().map(r -> new RawMessage(r.message().uidl(), 0,
                    null, Set.of(), r.content())).toList();
            return new FolderBatch(messages, SyncCursor.START);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Reading marks nothing (DELE waits for {@link #committed}) and the spool owns the content: the host may read ahead. */
    @Override
    public boolean readsAhead() {
        return true;
    }

    /** The host stored the batch: with delete_after_import, its messages may go from the server now. */
    @Override
    public void committed(FolderBatch batch) {
        List<ListedMessage> stored = batch.messages().stream().map(m -> unconfirmed.remove(m.serverKey()))
                .filter(java.util.Objects::nonNull).toList();
        if (serverCopy != ServerCopy.DELETE_AFTER_IMPORT || stored.isEmpty() || closed || failed) {
            return;
        }
        try {
            session.delete(stored);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** The listed messages not stored yet that no batch has taken yet. */
    @Override
    public long remaining() {
        return pending.size();
    }

    /** The next messages in listing order: at most {@code maxMessages}, and {@code maxBytes} beyond the first. */
    private List<ListedMessage> take(int maxMessages, long maxBytes) {
        List<ListedMessage> batch = new ArrayList<>();
        long bytes = 0;
        while (!pending.isEmpty() && batch.size() < maxMessages) {
            long size = pending.peekFirst().size();
            if (!batch.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            batch.add(pending.removeFirst());
            bytes += size;
        }
        return batch;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Ends the session with QUIT, which applies the DELEs of messages the host has stored; a
     * batch the host has not confirmed was never marked.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!failed && session.isOpen()) {
                session.quit();
            }
        } catch (MailroomException e) {
            log.log(System.Logger.Level.WARNING, "POP3 QUIT failed; deletions are repeated next time: {0}", e.getMessage());
        } finally {
            session.close();
        }
    }
}
