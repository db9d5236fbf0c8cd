package io.mailroom.host.pipeline;

import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.PostAction;
import io.mailroom.api.source.RawContent;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An IMAP-like server held in memory, for pipeline tests: folders with a UIDVALIDITY and
 * messages by UID, read the way a source plugin reads them; post-actions are recorded, or
 * refused while {@link #refuseActions} is set.
 */
final class ScriptedServer implements SourceConnection {

    /** A folder on the server. */
    static final class Folder {
        long validity;
        final TreeMap<Long, String> messages = new TreeMap<>();

        Folder(long validity) {
            this.validity = validity;
        }

        long append(String mail) {
            long uid = messages.isEmpty() ? 1 : messages.lastKey() + 1;
            messages.put(uid, mail);
            return uid;
        }

        /** The folder deleted and created again: a new UIDVALIDITY, UIDs from 1. */
        void recreate(long newValidity, List<String> mails) {
            validity = newValidity;
            messages.clear();
            mails.forEach(this::append);
        }
    }

    final Map<String, Folder> folders = new LinkedHashMap<>();
    final List<List<PostAction>> applied = new ArrayList<>();
    RuntimeException refuseActions;
    /** The options of the last folder opened. */
    FetchOptions lastOptions;
    /** Runs before each batch is read: the one before it is committed by then, unless {@link #readAhead}. */
    Runnable beforeEachBatch = () -> { };
    /** Whether readers let the host read the next batch while it writes the one before. */
    boolean readAhead;
    /** The cursor ({@code lastUid}) of each batch the host said it committed, in order. */
    final List<Long> committed = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The server keys of the messages handed to the host, and of those whose content it released. */
    final List<String> handedOut = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> released = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** UIDs whose content cannot be read (a spool file lost): committing them fails. */
    final Set<Long> unreadable = new java.util.concurrent.CopyOnWriteArraySet<>();

    Folder folder(String name, long validity) {
        return folders.computeIfAbsent(name, n -> new Folder(validity));
    }

    @Override
    public List<String> capabilities() {
        return List.of("IMAP4rev1");
    }

    @Override
    public List<FolderInfo> folders() {
        return folders.entrySet().stream()
                .map(e -> new FolderInfo(e.getKey(), Set.of(), e.getValue().messages.size())).toList();
    }

    @Override
    public FolderReader open(String name, SyncCursor cursor, FetchOptions options) {
        Folder folder = folders.get(name);
        SyncCursor server = new SyncCursor(folder.validity, folder.messages.isEmpty() ? 0 : folder.messages.lastKey(), 0);
        long start = cursor.validity() == folder.validity ? cursor.lastUid() : 0;
        lastOptions = options;
        return new FolderReader() {
            long examined = start;

            @Override
            public long remaining() {
                return folder.messages.tailMap(examined, false).size();
            }

            @Override
            public SyncCursor serverCursor() {
                return server;
            }

            @Override
            public boolean readsAhead() {
                return readAhead;
            }

            @Override
            public void committed(FolderBatch batch) {
                committed.add(batch.cursorAfter().lastUid());
            }

            @Override
            public FolderBatch next(int maxMessages, long maxBytes) {
                beforeEachBatch.run();
                List<RawMessage> batch = new ArrayList<>();
                for (Map.Entry<Long, String> message : folder.messages.tailMap(examined, false).entrySet()) {
                    if (batch.size() == maxMessages) {
                        break;
                    }
                    RawMessage raw = tracked(Mails.raw(message.getKey(), message.getValue()));
                    examined = message.getKey();
                    // as IMAP does: the first-sync window by the server's arrival date
                    if (options.notBefore() == null || !raw.internalDate().isBefore(options.notBefore())) {
                        batch.add(raw);
                    }
                }
                return new FolderBatch(batch, new SyncCursor(folder.validity, examined, 0));
            }

            @Override
            public void close() {
            }
        };
    }

    /** The message with content that records its release and cannot be read after it. */
    private RawMessage tracked(RawMessage raw) {
        RawContent bytes = raw.content();
        handedOut.add(raw.serverKey());
        RawContent content = new RawContent() {
            private volatile boolean gone;

            @Override
            public long size() {
                return bytes.size();
            }

            @Override
            public InputStream open() throws IOException {
                if (gone || unreadable.contains(raw.uid())) {
                    throw new IOException("the content of " + raw.serverKey() + " is gone");
                }
                return bytes.open();
            }

            @Override
            public void release() {
                if (!gone) {
                    gone = true;
                    released.add(raw.serverKey());
                }
            }
        };
        return new RawMessage(raw.serverKey(), raw.uid(), raw.internalDate(), raw.flags(), content);
    }

    @Override
    public void apply(String folder, long validity, List<PostAction> actions) {
        if (refuseActions != null) {
            throw refuseActions;
        }
        applied.add(actions);
        Folder source = folders.get(folder);
        for (PostAction action : actions) {
            if (action instanceof PostAction.MoveTo move && source.validity == validity) {
                String mail = source.messages.remove(Long.parseLong(move.serverKey()));
                if (mail != null) {
                    folder(move.targetFolder(), 100).append(mail);
                }
            }
        }
    }

    @Override
    public void close() {
    }
}
