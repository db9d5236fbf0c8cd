package io.mailroom.host.pipeline;

import io.mailroom.api.MailroomException;

import java.io.IOException;
import java.sql.SQLException;
import java.util.function.Predicate;

/** Why a message, batch, folder or run failed, in words an operator reads in the poll log and {@code last_error}. */
final class FailureReason {

    static final String DISK_FULL = "Mailroom's own disk is full: free space in its data directory"
            + " (or the database's disk); the next sync fetches the mail again";

    private FailureReason() {
    }

    /**
     * A sentence for the quarantine list and poll log: an extension's or parser's own message,
     * or for anything else the root cause's (a database error without the statement around it).
     * What an operator must not mistake for the mail server's fault is said so: a failing database
     * ("Connection refused" alone reads like the IMAP server), and Mailroom's own disk full.
     */
    static String of(Throwable e) {
        Throwable chosen = e;
        boolean database = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            chosen = cause;
            database |= cause instanceof SQLException;
            if (cause instanceof MailroomException) {
                break;
            }
        }
        String message = chosen.getMessage();
        String reason = message == null || message.isBlank() ? chosen.getClass().getSimpleName() : message;
        if (database && !(chosen instanceof MailroomException)) {
            reason = "the database failed: " + reason;
        }
        return localDiskFull(e) ? reason + " (" + DISK_FULL + ")" : reason;
    }

    /**
     * True when a local write failed with ENOSPC (a spool file, the database): an {@link IOException}
     * or {@link SQLException} saying so, not a mail server's answer that happens to use the words.
     */
    private static boolean localDiskFull(Throwable e) {
        return anyCause(e, cause -> (cause instanceof IOException || cause instanceof SQLException)
                && cause.getMessage() != null && cause.getMessage().contains("No space left on device"));
    }

    /** Whether {@code e} or one of its causes is {@code what}. */
    static boolean anyCause(Throwable e, Predicate<Throwable> what) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (what.test(cause)) {
                return true;
            }
        }
        return false;
    }
}
