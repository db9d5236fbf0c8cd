package io.mailroom.host.schedule;

import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Holds one folder of one mailbox open for new mail (IMAP IDLE) and asks for a sync whenever
 * the server tells of a change. It reconnects with exponential back-off, and ends when it is
 * closed, when the server cannot push (the schedule then covers the mailbox), or when the
 * credentials are refused (the next scheduled sync reports that).
 */
final class FolderWatch implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatch.class);
    /** Servers end an IDLE after about 30 minutes; ask again well before. */
    static final Duration WAIT = Duration.ofMinutes(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final Mailbox mailbox;
    private final String folder;
    private final MailboxConnector connector;
    private final LongConsumer syncNow;
    private volatile boolean closed;
    private volatile SourceConnection connection;

    FolderWatch(Mailbox mailbox, String folder, MailboxConnector connector, LongConsumer syncNow) {
        this.mailbox = mailbox;
        this.folder = folder;
        this.connector = connector;
        this.syncNow = syncNow;
    }

    @Override
    public void run() {
        MDC.put("mailbox", Long.toString(mailbox.id()));
        MDC.put("folder", folder);
        Duration backoff = Duration.ofSeconds(1);
        while (!closed) {
            try (SourceConnection open = connector.connect(mailbox)) {
                connection = open;
                if (!open.supportsPush()) {
                    LOG.info("The server cannot push new mail; the mailbox is synced on its schedule");
                    return;
                }
                backoff = Duration.ofSeconds(1);
                // The first wait on a connection returns at once, so what came before it is synced too.
                while (!closed) {
                    if (open.awaitChange(folder, WAIT) && !closed) {
                        syncNow.accept(mailbox.id());
                    }
                }
            } catch (AuthenticationFailedException e) {
                LOG.warn("Push stopped: {}", e.getMessage());
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.info("Push connection lost ({}); reconnecting in {} s", e.getMessage(), backoff.toSeconds());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                connection = null;
            }
        }
    }

    /** Ends the watch; an ongoing wait ends when its connection closes. */
    @Override
    public void close() {
        closed = true;
        SourceConnection open = connection;
        if (open != null) {
            open.close();
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }
}
