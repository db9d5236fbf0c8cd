package io.mailroom.plugins.imap;

import io.mailroom.api.source.FolderChanges;
import io.mailroom.api.source.SyncCursor;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.event.MailEvent;
import jakarta.mail.event.MessageChangedEvent;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.MessageVanishedEvent;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Flag changes and expunges since the host's cursor, for messages up to its last UID. */
final class ChangesSince {

    /** How the server can tell what changed. */
    enum Method {
        /** It cannot (no CONDSTORE), or there is nothing to compare with (new UID space, no MODSEQ yet). */
        NONE,
        /** QRESYNC: the answer to {@code SELECT (QRESYNC ...)} holds flag changes and expunges. */
        QRESYNC,
        /** CONDSTORE alone: {@code UID FETCH 1:last (FLAGS) (CHANGEDSINCE modseq)}; expunges unknown. */
        CHANGEDSINCE
    }

    private ChangesSince() {
    }

    static FolderChanges read(Method method, IMAPFolder folder, SyncCursor cursor, List<MailEvent> resyncEvents)
            throws MessagingException {
        return switch (method) {
            case NONE -> FolderChanges.NONE;
            case QRESYNC -> fromResync(folder, resyncEvents, cursor.lastUid());
            case CHANGEDSINCE -> changedSince(folder, cursor);
        };
    }

    private static FolderChanges fromResync(IMAPFolder folder, List<MailEvent> events, long lastUid)
            throws MessagingException {
        if (events == null || events.isEmpty()) {
            return FolderChanges.NONE;
        }
        Map<String, Set<String>> flags = new HashMap<>();
        Set<String> expunged = new HashSet<>();
        for (MailEvent event : events) {
            if (event instanceof MessageVanishedEvent vanished) {
                for (long uid : vanished.getUIDs()) {
                    if (uid <= lastUid) {
                        expunged.add(Long.toString(uid));
                    }
                }
            } else if (event instanceof MessageChangedEvent changed) {
                Message message = changed.getMessage();
                long uid = folder.getUID(message);
                if (uid > 0 && uid <= lastUid) {
                    flags.put(Long.toString(uid), FlagNames.of(message.getFlags()));
                }
            }
        }
        flags.keySet().removeAll(expunged);
        return new FolderChanges(flags, expunged);
    }

    private static FolderChanges changedSince(IMAPFolder folder, SyncCursor cursor) throws MessagingException {
        Map<String, Set<String>> flags = new HashMap<>();
        for (Message message : folder.getMessagesByUIDChangedSince(1, cursor.lastUid(), cursor.highestModSeq())) {
            long uid = folder.getUID(message);
            if (uid > 0 && uid <= cursor.lastUid()) {
                flags.put(Long.toString(uid), FlagNames.of(message.getFlags()));
            }
        }
        return new FolderChanges(flags, Set.of());
    }
}
