package io.mailroom.plugins.imap;

import io.mailroom.api.PermanentException;
import io.mailroom.api.source.PostAction;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Carries out the host's post-actions on one folder, in bulk: one command per kind of action
 * (per target folder for moves), over UID sets. Only messages still present are touched, so
 * doing it again after a crash is harmless; nothing is done when the folder's UIDVALIDITY is
 * no longer the one the UIDs belong to.
 */
final class PostActions {

    private final IMAPStore store;

    PostActions(IMAPStore store) {
        this.store = store;
    }

    void apply(String name, long validity, List<PostAction> actions) throws MessagingException {
        if (actions.isEmpty()) {
            return;
        }
        IMAPFolder folder = (IMAPFolder) store.getFolder(name);
        if (!folder.exists()) {
            return;
        }
        folder.open(Folder.READ_WRITE);
        try {
            if (folder.getUIDValidity() != validity) {
                return;
            }
            TreeSet<Long> seen = new TreeSet<>();
            TreeSet<Long> flagged = new TreeSet<>();
            TreeSet<Long> deleted = new TreeSet<>();
            Map<String, TreeSet<Long>> moved = new LinkedHashMap<>();
            for (PostAction action : actions) {
                long uid = Long.parseLong(action.serverKey());
                switch (action) {
                    case PostAction.MarkSeen ignored -> seen.add(uid);
                    case PostAction.Flag ignored -> flagged.add(uid);
                    case PostAction.Delete ignored -> deleted.add(uid);
                    case PostAction.MoveTo move -> moved.computeIfAbsent(move.targetFolder(), t -> new TreeSet<>()).add(uid);
                }
            }
            addFlag(folder, present(folder, seen), "\\Seen");
            addFlag(folder, present(folder, flagged), "\\Flagged");
            for (Map.Entry<String, TreeSet<Long>> move : moved.entrySet()) {
                move(folder, present(folder, move.getValue()), move.getKey());
            }
            delete(folder, present(folder, deleted));
        } finally {
            FolderOpening.closeQuietly(folder);
        }
    }

    private static long[] present(IMAPFolder folder, TreeSet<Long> uids) throws MessagingException {
        if (uids.isEmpty()) {
            return new long[0];
        }
        return ImapCommands.present(folder, uids.stream().mapToLong(Long::longValue).toArray());
    }

    private static void addFlag(IMAPFolder folder, long[] uids, String flag) throws MessagingException {
        for (String set : UidSet.of(uids)) {
            ImapCommands.run(folder, "UID STORE " + set + " +FLAGS.SILENT (" + flag + ")");
        }
    }

    private void move(IMAPFolder folder, long[] uids, String target) throws MessagingException {
        if (uids.length == 0) {
            return;
        }
        createIfMissing(target);
        boolean canMove = store.hasCapability("MOVE");
        for (String set : UidSet.of(uids)) {
            if (canMove) {
                ImapCommands.toMailbox(folder, "MOVE", set, target);
            } else {
                ImapCommands.toMailbox(folder, "COPY", set, target);
            }
        }
        if (!canMove) {
            delete(folder, uids);
        }
    }

    /**
     * {@code \Deleted}, then {@code UID EXPUNGE} of these UIDs alone (UIDPLUS). A server without
     * UIDPLUS only has EXPUNGE, which also removes what its user marked deleted and left.
     */
    private void delete(IMAPFolder folder, long[] uids) throws MessagingException {
        if (uids.length == 0) {
            return;
        }
        boolean uidPlus = store.hasCapability("UIDPLUS");
        for (String set : UidSet.of(uids)) {
            ImapCommands.run(folder, "UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
            if (uidPlus) {
                ImapCommands.run(folder, "UID EXPUNGE " + set);
            }
        }
        if (!uidPlus) {
            ImapCommands.run(folder, "EXPUNGE");
        }
    }

    private void createIfMissing(String name) throws MessagingException {
        Folder target = store.getFolder(name);
        if (!target.exists() && !target.create(Folder.HOLDS_MESSAGES) && !target.exists()) {
            throw new PermanentException("the server would not create folder " + name + " to move messages to");
        }
    }
}
