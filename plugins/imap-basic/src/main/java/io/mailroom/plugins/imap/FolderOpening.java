package io.mailroom.plugins.imap;

import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.SyncCursor;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.event.MailEvent;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.ResyncData;

import java.util.List;

/**
 * A folder opened read-only ({@code EXAMINE}, so nothing we do sets {@code \Seen}) for one
 * sync: the server's cursor, which UIDs to read, and what changed since the host's cursor.
 *
 * @param folder     the open folder
 * @param cursor     the host's cursor
 * @param server     the folder's state when opened
 * @param candidates the UIDs to read, ascending: after the cursor (or all when its UID space
 *                   is gone) and matching the options, up to the server's highest UID at open
 * @param changes    how to learn what changed to the messages up to the cursor's last UID
 * @param resyncEvents what the server answered to {@code SELECT (QRESYNC ...)}, or null
 */
record FolderOpening(IMAPFolder folder, SyncCursor cursor, SyncCursor server, long[] candidates,
                     ChangesSince.Method changes, List<MailEvent> resyncEvents) {

    static FolderOpening open(IMAPStore store, String name, SyncCursor cursor, FetchOptions options)
            throws MessagingException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(name);
        boolean qresync = store.hasCapability("QRESYNC");
        boolean condstore = qresync || store.hasCapability("CONDSTORE");
        boolean canResync = qresync && cursor.validity() != 0 && cursor.highestModSeq() > 0 && cursor.lastUid() > 0;
        List<MailEvent> resyncEvents = null;
        if (canResync) {
            // SELECT ... (QRESYNC (validity modseq 1:lastUid)): the server answers with the flag
            // changes and the expunged UIDs (VANISHED (EARLIER)) in the same round trip
            resyncEvents = folder.open(Folder.READ_ONLY,
                    new ResyncData(cursor.validity(), cursor.highestModSeq(), 1, cursor.lastUid()));
        } else if (condstore) {
            folder.open(Folder.READ_ONLY, ResyncData.CONDSTORE);
        } else {
            folder.open(Folder.READ_ONLY);
        }
        try {
            long validity = folder.getUIDValidity();
            long highestUid = highestUid(folder);
            long modseq = condstore ? Math.max(0, folder.getHighestModSeq()) : 0;
            SyncCursor server = new SyncCursor(validity, highestUid, modseq);
            boolean sameUidSpace = cursor.validity() == validity;
            long from = sameUidSpace ? cursor.lastUid() + 1 : 1;
            long[] candidates = from <= highestUid
                    ? ImapCommands.search(folder, criteria(from, highestUid, options)) : new long[0];
            ChangesSince.Method changes = !sameUidSpace || !condstore || cursor.highestModSeq() <= 0 || cursor.lastUid() <= 0
                    ? ChangesSince.Method.NONE
                    : canResync ? ChangesSince.Method.QRESYNC : ChangesSince.Method.CHANGEDSINCE;
            return new FolderOpening(folder, cursor, server, candidates, changes, resyncEvents);
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(folder);
            throw e;
        }
    }

    private static String criteria(long from, long to, FetchOptions options) {
        StringBuilder criteria = new StringBuilder("UID ").append(from).append(':').append(to);
        if (options.notBefore() != null) {
            criteria.append(" SINCE ").append(ImapCommands.searchDate(options.notBefore()));
        }
        if (options.unreadOnly()) {
            criteria.append(" UNSEEN");
        }
        return criteria.toString();
    }

    /** UIDNEXT - 1 from the SELECT answer; servers that leave UIDNEXT out get asked for the last UID. */
    private static long highestUid(IMAPFolder folder) throws MessagingException {
        long uidNext = folder.getUIDNext();
        if (uidNext > 0) {
            return uidNext - 1;
        }
        if (folder.getMessageCount() == 0) {
            return 0;
        }
        long[] last = ImapCommands.search(folder, "UID *");
        return last.length == 0 ? 0 : last[last.length - 1];
    }

    static void closeQuietly(IMAPFolder folder) {
        try {
            if (folder.isOpen()) {
                folder.close(false);
            }
        } catch (MessagingException | RuntimeException e) {
            // the connection is gone; there is nothing left to close
        }
    }
}
