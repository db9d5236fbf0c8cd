package io.mailroom.plugins.imap;

import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.iap.ResponseHandler;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Waits for a folder to change with IMAP IDLE (RFC 2177), on a connection given to it alone.
 *
 * <p>No mail goes unseen between two waits: the folder stays selected ({@code EXAMINE}) on
 * this connection from one wait to the next, and an IMAP server tells a session with a selected
 * folder of every change it has not told yet, at that session's next command. So each wait
 * starts with {@code NOOP}, and a change that came after the last wait ended (while the host
 * was syncing) ends this one at once. The first wait for a folder on a connection has nothing
 * to compare with: it selects the folder and returns true at once, so that the host syncs
 * after the folder was selected. That also covers whatever arrived while a dropped connection
 * was being replaced.
 *
 * <p>A change is an untagged {@code EXISTS} with a new count, {@code EXPUNGE}, {@code FETCH}
 * (flags changed by another client) or {@code VANISHED}. Keep-alives ({@code * OK Still here})
 * are not.
 *
 * <p>Threads: the wait blocks its caller's thread in a socket read and uses no other; the
 * deadline is that socket's read timeout, set for the wait and restored after it. The IDLE is
 * renewed (DONE, then IDLE again) every {@link #LONGEST_IDLE}, before servers drop it.
 */
final class FolderWatch {

    /** Servers may end an IDLE after 30 minutes (RFC 2177 asks clients to renew it by 29). */
    static final Duration LONGEST_IDLE = Duration.ofMinutes(25);

    private static final Duration LONGEST_WAIT = Duration.ofDays(1);

    private final IMAPStore store;
    private final ConnectionSockets sockets;
    private final Duration longestIdle;
    /** The folder kept selected between waits, or null. */
    private IMAPFolder folder;
    /** The folder's message count as this session was last told it; -1 when unknown. */
    private long exists;

    FolderWatch(IMAPStore store, ConnectionSockets sockets) {
        this(store, sockets, LONGEST_IDLE);
    }

    /** A watch that renews its IDLE every {@code longestIdle} (tests use a short one). */
    FolderWatch(IMAPStore store, ConnectionSockets sockets, Duration longestIdle) {
        this.store = store;
        this.sockets = sockets;
        this.longestIdle = longestIdle;
    }

    /** True when the folder may have changed since the last call; false when {@code timeout} passed quietly. */
    boolean await(String name, Duration timeout) throws MessagingException {
        if (folder != null && !folder.isOpen()) {
            // the server or the network dropped it: the host connects again (and learns then
            // whether the login still works), rather than Angus logging in again behind its back
            IMAPFolder lost = folder;
            folder = null;
            throw new FolderClosedException(lost, "the connection watching " + lost.getFullName() + " was lost");
        }
        if (folder == null || !folder.getFullName().equals(name)) {
            close();
            IMAPFolder opened = (IMAPFolder) store.getFolder(name);
            opened.open(Folder.READ_ONLY);
            try {
                exists = opened.getMessageCount();
            } catch (MessagingException | RuntimeException e) {
                FolderOpening.closeQuietly(opened);
                throw e;
            }
            folder = opened;
            return true;
        }
        Duration wait = timeout.isNegative() ? Duration.ZERO : timeout.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : timeout;
        long deadline = System.nanoTime() + wait.toNanos();
        return (Boolean) folder.doCommand(p -> waitForChange(p, deadline));
    }

    private boolean waitForChange(IMAPProtocol p, long deadline) throws ProtocolException {
        ChangeSeen seen = new ChangeSeen();
        p.addResponseHandler(seen);
        try {
            p.noop();
            while (!seen.changed && deadline - System.nanoTime() > 0) {
                idle(p, Math.min(deadline, System.nanoTime() + longestIdle.toNanos()), seen);
            }
            return seen.changed;
        } finally {
            p.removeResponseHandler(seen);
        }
    }

    /** One IDLE, until a change, the server ends it, or {@code until}; then DONE and its answer. */
    private void idle(IMAPProtocol p, long until, ChangeSeen seen) throws ProtocolException {
        Socket socket = sockets.find(p.getLocalSocketAddress());
        int readTimeout = readTimeout(socket);
        p.idleStart();
        boolean endedByServer = false;
        try {
            while (!seen.changed) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                setReadTimeout(socket, Math.clamp(Duration.ofNanos(left).toMillis(), 1, Integer.MAX_VALUE));
                Response r = p.readIdleResponse();
                if (isQuietTimeout(r)) {
                    continue;
                }
                if (!p.processIdleResponse(r)) {
                    endedByServer = true;
                    break;
                }
            }
        } finally {
            restoreReadTimeout(socket, readTimeout);
        }
        if (!endedByServer) {
            p.idleAbort();
            // the answers up to IDLE's tagged OK, under the usual read timeout: a server that
            // stays silent now is gone, and the synthetic BYE for it ends in ConnectionException
            for (Response r = p.readIdleResponse(); r != null && p.processIdleResponse(r); r = p.readIdleResponse()) {
                // processIdleResponse told the handlers
            }
        }
    }

    /** The read ran into the deadline before the server said anything. */
    private static boolean isQuietTimeout(Response r) {
        return r.isBYE() && r.isSynthetic() && r.getException() instanceof SocketTimeoutException t
                && t.bytesTransferred == 0;
    }

    private static int readTimeout(Socket socket) throws ProtocolException {
        try {
            return socket.getSoTimeout();
        } catch (SocketException e) {
            throw new ProtocolException("the connection is gone: " + e.getMessage(), e);
        }
    }

    private static void setReadTimeout(Socket socket, int millis) throws ProtocolException {
        try {
            socket.setSoTimeout(millis);
        } catch (SocketException e) {
            throw new ProtocolException("the connection is gone: " + e.getMessage(), e);
        }
    }

    private static void restoreReadTimeout(Socket socket, int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (SocketException e) {
            // closed: the failure that closed it is the one to report
        }
    }

    /** Unselects the watched folder, if any. */
    void close() {
        if (folder != null) {
            FolderOpening.closeQuietly(folder);
            folder = null;
        }
    }

    /** Notes whether the server told of a change, and keeps the message count up to date. */
    private final class ChangeSeen implements ResponseHandler {

        private boolean changed;

        @Override
        public void handleResponse(Response r) {
            if (!(r instanceof IMAPResponse ir) || !ir.isUnTagged()) {
                return;
            }
            if (ir.keyEquals("EXISTS")) {
                changed |= ir.getNumber() != exists;
                exists = ir.getNumber();
            } else if (ir.keyEquals("EXPUNGE")) {
                changed = true;
                exists--;
            } else if (ir.keyEquals("VANISHED")) {
                // QRESYNC's EXPUNGE (a connection Angus enabled it on, reused): how many is
                // not counted here, so whatever EXISTS comes next is news
                changed = true;
                exists = -1;
            } else if (ir.keyEquals("FETCH")) {
                changed = true;
            }
        }
    }
}
