package io.mailroom.host.schedule;

import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * Holds one folder of one mailbox open for new mail (IMAP IDLE) and asks for a sync whenever
 * the server tells of a change. Every connection is made with the mailbox as it is stored at
 * that moment, so a reconnect uses settings changed meanwhile. It reconnects with exponential
 * back-off after a lost connection, and more slowly after a refused login (the same password
 * tried again and again gets accounts locked); the first refusal runs a sync, which records it
 * as any sync does (status {@code auth_failed}, last error, poll log, notification). It ends
 * when it is closed (the mailbox changed, or this node gave up its lease), when the mailbox no
 * longer wants push on this folder, or when the server cannot push (the schedule then covers
 * the mailbox).
 */
final class FolderWatch implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatch.class);
    /** Servers end an IDLE after about 30 minutes; ask again well before. */
    static final Duration WAIT = Duration.ofMinutes(10);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration FIRST_LOGIN_RETRY = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final String AUTH_FAILED = "auth_failed";

    private final long mailboxId;
    private final String folder;
    private final LongFunction<Optional<Mailbox>> mailboxes;
    private final MailboxConnector connector;
    private final LongConsumer syncNow;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile SourceConnection connection;

    /** {@code mailboxes} reads a mailbox as stored now; {@code syncNow} syncs one. */
    FolderWatch(long mailboxId, String folder, LongFunction<Optional<Mailbox>> mailboxes, MailboxConnector connector,
                LongConsumer syncNow) {
        this.mailboxId = mailboxId;
        this.folder = folder;
        this.mailboxes = mailboxes;
        this.connector = connector;
        this.syncNow = syncNow;
    }

    @Override
    public void run() {
        putLoggingContext();
        Duration backoff = FIRST_RETRY;
        Duration loginBackoff = FIRST_LOGIN_RETRY;
        while (!isClosed()) {
            Optional<Mailbox> mailbox = Optional.empty();
            try {
                mailbox = mailboxes.apply(mailboxId).filter(this::wantsThisWatch);
                if (mailbox.isEmpty()) {
                    LOG.debug("The mailbox no longer asks for push on this folder; the watch ends");
                    return;
                }
                if (!watch(mailbox.get())) {
                    return;
                }
            } catch (AuthenticationFailedException e) {
                if (isClosed()) {
                    return;
                }
                if (mailbox.isPresent() && !AUTH_FAILED.equals(mailbox.get().status())) {
                    sync();
                }
                LOG.warn("Push login refused ({}); trying again in {} s, or at once when the mailbox's settings change",
                        e.getMessage(), loginBackoff.toSeconds());
                pause(loginBackoff);
                loginBackoff = doubled(loginBackoff);
                continue;
            } catch (RuntimeException e) {
                if (isClosed()) {
                    return;
                }
                LOG.info("Push connection lost ({}); reconnecting in {} s", e.getMessage(), backoff.toSeconds());
                pause(backoff);
                backoff = doubled(backoff);
                continue;
            }
            backoff = FIRST_RETRY;
            loginBackoff = FIRST_LOGIN_RETRY;
        }
    }

    /**
     * Connects and waits for changes until closed or the connection fails.
     *
     * @return false when the server cannot push, so watching is pointless
     */
    private boolean watch(Mailbox mailbox) {
        try (SourceConnection open = connector.connect(mailbox)) {
            connection = open;
            if (isClosed()) {
                return true; // closed while connecting: close() found no connection to close
            }
            if (!open.supportsPush()) {
                LOG.info("The server cannot push new mail; the mailbox is synced on its schedule");
                return false;
            }
            // The first wait on a connection returns at once, so what came before it is synced too.
            while (!isClosed()) {
                if (open.awaitChange(folder, WAIT) && !isClosed()) {
                    sync();
                }
            }
            return true;
        } finally {
            connection = null;
        }
    }

    /** Syncs the mailbox; the sync clears the logging context it set on this thread, so it is put back. */
    private void sync() {
        syncNow.accept(mailboxId);
        putLoggingContext();
    }

    private void putLoggingContext() {
        MDC.put("mailbox", Long.toString(mailboxId));
        MDC.put("folder", folder);
    }

    private boolean wantsThisWatch(Mailbox mailbox) {
        return mailbox.push() && mailbox.enabled() && mailbox.folders().contains(folder);
    }

    /** Ends the watch: an ongoing wait ends when its connection closes, a back-off at once. */
    @Override
    public void close() {
        closed.countDown();
        SourceConnection open = connection;
        if (open != null) {
            open.close();
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void pause(Duration duration) {
        try {
            closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.countDown();
        }
    }

    private static Duration doubled(Duration backoff) {
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }
}
