package io.mailroom.plugins.imap;

import io.mailroom.api.MailroomException;
import io.mailroom.api.PermanentException;
import io.mailroom.api.source.RawContent;
import io.mailroom.api.source.ContentSpool;
import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.PostAction;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A logged-in IMAP connection (an Angus {@link IMAPStore}); one thread at a time, except that
 * {@link #close()} may end an {@link #awaitChange} from another thread.
 */
final class ImapConnection implements SourceConnection {

    private final IMAPStore store;
    private final ConnectionSockets sockets;
    private final FolderWatch watch;
    private final ContentSpool spool;
    private final long chunkedAbove;
    private Boolean idle;
    /** close() and awaitChange() each write their flag, then read the other's: one sees the other. */
    private volatile boolean closed;
    private volatile boolean waiting;

    ImapConnection(IMAPStore store, ConnectionSockets sockets, ContentSpool spool, long chunkedAbove) {
        this.store = store;
        this.sockets = sockets;
        this.watch = new FolderWatch(store, sockets);
        this.spool = spool;
        this.chunkedAbove = chunkedAbove;
    }

    @Override
    public List<String> capabilities() {
        return ImapCall.run("reading capabilities", () -> {
            IMAPFolder any = (IMAPFolder) store.getDefaultFolder().getFolder("INBOX");
            @SuppressWarnings("unchecked")
            Map<String, String> capabilities = (Map<String, String>) any.doCommand(p -> p.getCapabilities());
            return List.copyOf(new TreeSet<>(capabilities.values()));
        });
    }

    @Override
    public List<FolderInfo> folders() {
        return ImapCall.run("listing folders", () -> {
            List<FolderInfo> folders = new ArrayList<>();
            for (Folder folder : store.getDefaultFolder().list("*")) {
                IMAPFolder imap = (IMAPFolder) folder;
                Set<String> attributes = Set.copyOf(Arrays.asList(imap.getAttributes()));
                boolean selectable = (imap.getType() & Folder.HOLDS_MESSAGES) != 0
                        && attributes.stream().noneMatch(a -> a.equalsIgnoreCase("\\Noselect")
                        || a.equalsIgnoreCase("\\NonExistent"));
                folders.add(new FolderInfo(imap.getFullName(), attributes, selectable ? imap.getMessageCount() : -1));
            }
            return folders;
        });
    }

    @Override
    public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
        return ImapCall.run("opening " + folder, () -> {
            FolderOpening opening = FolderOpening.open(store, folder, cursor, options);
            return new ImapFolderReader(folder, opening, options, new MessageFetch(opening.folder(), spool, chunkedAbove,
                    options.readLimit()));
        });
    }

    @Override
    public void apply(String folder, long validity, List<PostAction> actions) {
        ImapCall.run("updating messages in " + folder, () -> {
            new PostActions(store).apply(folder, validity, actions);
            return null;
        });
    }

    /** Examines the folder (read-only, so nothing is marked read) and fetches the one UID as a sync would. */
    @Override
    public Optional<RawMessage> fetch(String folder, long validity, String serverKey, long readLimit) {
        long uid;
        try {
            uid = Long.parseLong(serverKey);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ImapCall.run("reading message " + uid + " of " + folder, () -> {
            IMAPFolder imap = (IMAPFolder) store.getFolder(folder);
            if (!imap.exists()) {
                return Optional.<RawMessage>empty();
            }
            imap.open(Folder.READ_ONLY);
            try {
                if (imap.getUIDValidity() != validity) {
                    return Optional.<RawMessage>empty();
                }
                MessageFetch fetch = new MessageFetch(imap, spool, chunkedAbove, readLimit);
                return fetch.messages(fetch.summaries(new long[] {uid})).stream().findFirst();
            } finally {
                FolderOpening.closeQuietly(imap);
            }
        });
    }

    @Override
    public boolean supportsAppend() {
        return true;
    }

    /**
     * IMAP APPEND with the bytes as a literal, written as they are (not re-serialised through a
     * MimeMessage, which could refold headers): the host finds the copy again by its hash.
     */
    @Override
    public void append(String folder, RawContent content, Set<String> flags) {
        if (content.size() > Integer.MAX_VALUE) {
            throw new PermanentException("the message is too large to append");
        }
        ImapCall.run("appending to " + folder, () -> {
            IMAPFolder target = (IMAPFolder) store.getFolder(folder);
            if (!target.exists()) {
                throw new PermanentException("no folder " + folder + " on the server");
            }
            Flags given = flags(flags);
            target.doCommand(protocol -> {
                protocol.append(target.getFullName(), given, null, new Literal() {
                    @Override
                    public int size() {
                        return (int) content.size();
                    }

                    @Override
                    public void writeTo(OutputStream out) throws IOException {
                        try (InputStream in = content.open()) {
                            in.transferTo(out);
                        }
                    }
                });
                return null;
            });
            return null;
        });
    }

    private static Flags flags(Set<String> names) {
        Flags flags = new Flags();
        for (String name : names) {
            switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "\\seen" -> flags.add(Flags.Flag.SEEN);
                case "\\answered" -> flags.add(Flags.Flag.ANSWERED);
                case "\\flagged" -> flags.add(Flags.Flag.FLAGGED);
                case "\\draft" -> flags.add(Flags.Flag.DRAFT);
                case "\\deleted" -> flags.add(Flags.Flag.DELETED);
                default -> {
                    if (name.startsWith("\\")) {
                        throw new IllegalArgumentException("unknown system flag " + name);
                    }
                    flags.add(name);
                }
            }
        }
        return flags;
    }

    /** The server offers IDLE; asked once, since capabilities stay as they were after login. */
    @Override
    public boolean supportsPush() {
        if (idle == null) {
            idle = ImapCall.run("reading capabilities", () -> store.hasCapability("IDLE"));
        }
        return idle;
    }

    /**
     * Waits with IDLE on {@code folder}, kept selected (read-only) on this connection between
     * calls; see {@link FolderWatch} for what counts as a change and why the first call for a
     * folder returns true at once. A dropped connection ends the wait, and every later one on
     * this connection, with {@link io.mailroom.api.TemporaryException}: connect again.
     * {@link #close()} from another thread ends a wait with false.
     */
    @Override
    public boolean awaitChange(String folder, Duration timeout) {
        waiting = true;
        try {
            if (closed) {
                return false;
            }
            if (!supportsPush()) {
                throw new UnsupportedOperationException("the IMAP server does not offer IDLE");
            }
            return ImapCall.run("waiting for changes in " + folder, () -> watch.await(folder, timeout));
        } catch (MailroomException e) {
            if (closed) {
                return false;
            }
            throw e;
        } finally {
            waiting = false;
        }
    }

    /**
     * Logs out. During a wait, the wait's thread holds Angus' locks while it reads, and would
     * keep a logout waiting until the server spoke: so the sockets are closed first, without
     * a LOGOUT, which ends the read at once. The store closes the watched folder with the rest.
     */
    @Override
    public void close() {
        closed = true;
        if (waiting) {
            sockets.abort();
        }
        try {
            ImapCall.run("logging out", () -> {
                store.close();
                return null;
            });
        } catch (RuntimeException e) {
            // the connection is gone already: nothing to log out from
        }
    }
}
