package io.mailroom.api.source;

/**
 * Something the host asks the server to do to a message after committing it.
 */
public sealed interface PostAction {

    /** The message's key in its folder. */
    String serverKey();

    /** Set {@code \Seen}. */
    record MarkSeen(String serverKey) implements PostAction {
    }

    /** Set {@code \Flagged}; a source without flags (POP3) ignores it. */
    record Flag(String serverKey) implements PostAction {
    }

    /** Move to another folder (IMAP MOVE, or COPY + delete where MOVE is missing). */
    record MoveTo(String serverKey, String targetFolder) implements PostAction {
    }

    /** Delete from the server (IMAP expunge, POP3 DELE). */
    record Delete(String serverKey) implements PostAction {
    }
}
