package io.mailroom.api.source;

/**
 * Where a folder's sync stands. The host stores it in the same transaction as the messages it
 * covers and hands it back on the next sync.
 *
 * @param validity      the IMAP UIDVALIDITY the other fields belong to (0 where the protocol has none)
 * @param lastUid       the highest UID stored (0 before the first message)
 * @param highestModSeq the CONDSTORE HIGHESTMODSEQ seen at the last sync (0 when unknown)
 */
public record SyncCursor(long validity, long lastUid, long highestModSeq) {

    /** The cursor of a folder never synced. */
    public static final SyncCursor START = new SyncCursor(0, 0, 0);

    /** Whether the server's state belongs to a different UID space than this cursor. */
    public boolean invalidatedBy(SyncCursor server) {
        return validity != 0 && server.validity() != validity;
    }
}
