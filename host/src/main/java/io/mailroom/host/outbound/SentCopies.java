package io.mailroom.host.outbound;

import io.mailroom.api.PermanentException;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.RawContent;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.network.ShownError;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Copies sent mail into the server's Sent folder ({@code save_sent}), so other clients of the
 * mailbox see it. Runs after the server took the message, on any node's outbox worker (a copy is
 * claimed with {@code SKIP LOCKED} and a short lease); it never changes the message's
 * {@code sent} status: a copy that cannot be made is retried with back-off and then given up,
 * with the reason in {@code sent_copy_note}.
 *
 * <p>The copy is the stored bytes as they are, {@code \Seen}. Before it is appended, the outbound
 * row is told the folder it is copied to (with UIDVALIDITY 0, which no server uses): when the sync
 * then reads that folder, it finds the same bytes in a place it knows is not a real one and
 * moves the row there ({@link io.mailroom.host.pipeline} relocation by content hash) instead of
 * storing the message twice. Done before the APPEND, so a sync running at the same moment, or
 * a copy whose answer was lost, cannot make a duplicate.
 */
final class SentCopies {

    static final int MAX_ATTEMPTS = 6;
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);
    /** Names tried, in order, on a server that does not mark its Sent folder (RFC 6154). */
    static final List<String> COMMON_NAMES = List.of("Sent", "Sent Items", "Sent Messages", "[Gmail]/Sent Mail",
            "INBOX.Sent", "INBOX/Sent");
    private static final Logger LOG = LoggerFactory.getLogger(SentCopies.class);

    private final Jdbi jdbi;
    private final Function<Mailbox, SourceConnection> connections;

    SentCopies(Jdbi jdbi, Function<Mailbox, SourceConnection> connections) {
        this.jdbi = jdbi;
        this.connections = connections;
    }

    /** Makes the copies that are due, a few per turn so sending is not held up. */
    void copyDue() {
        for (int i = 0; i < 5; i++) {
            Optional<OutboxDao.SentCopy> due = jdbi.inTransaction(handle ->
                    handle.attach(OutboxDao.class).claimSentCopy(LEASE.toSeconds() + " seconds"));
            if (due.isEmpty()) {
                return;
            }
            copy(due.get());
        }
    }

    private void copy(OutboxDao.SentCopy due) {
        OutboxDao outbox = jdbi.onDemand(OutboxDao.class);
        long id = due.messageId();
        try {
            Mailbox mailbox = jdbi.onDemand(MailboxDao.class).find(due.mailboxId())
                    .orElseThrow(() -> new PermanentException("the mailbox no longer exists"));
            byte[] raw = jdbi.onDemand(BlobDao.class).content(due.contentHash())
                    .orElseThrow(() -> new PermanentException("the message's bytes are not stored"));
            try (SourceConnection connection = connections.apply(mailbox)) {
                if (!connection.supportsAppend()) {
                    throw new PermanentException("the mailbox's source cannot store messages on its server");
                }
                String folder = sentFolder(connection.folders())
                        .orElseThrow(() -> new PermanentException("the server has no Sent folder (none marked \\Sent, "
                                + "none named " + String.join(", ", COMMON_NAMES) + ")"));
                outbox.placeInFolder(id, folder);
                connection.append(folder, RawContent.of(raw), Set.of("\\Seen"));
                outbox.sentCopyDone(id, "saved", "saved to " + folder);
            }
        } catch (PermanentException | UnsupportedOperationException e) {
            outbox.sentCopyDone(id, "failed", ShownError.of(e));
            LOG.info("outbox: message {} was sent, but not saved to the Sent folder: {}", id, ShownError.of(e));
        } catch (RuntimeException e) {
            int attempts = due.attempts() + 1;
            if (attempts >= MAX_ATTEMPTS) {
                outbox.sentCopyDone(id, "failed", "given up after " + attempts + " attempts: " + ShownError.of(e));
            } else {
                Duration wait = Duration.ofMinutes(1L << Math.min(attempts - 1, 10));
                outbox.sentCopyLater(id, ShownError.of(e), (wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait)
                        .toSeconds() + " seconds");
            }
            LOG.info("outbox: message {}: saving to the Sent folder failed for now: {}", id, ShownError.of(e));
        }
    }

    /** The folder marked {@code \Sent} (RFC 6154), else the first of {@link #COMMON_NAMES} the server has. */
    static Optional<String> sentFolder(List<FolderInfo> folders) {
        for (FolderInfo folder : folders) {
            if (folder.attributes().stream().anyMatch(a -> a.equalsIgnoreCase("\\Sent"))) {
                return Optional.of(folder.name());
            }
        }
        for (String name : COMMON_NAMES) {
            for (FolderInfo folder : folders) {
                if (folder.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return Optional.of(folder.name());
                }
            }
        }
        return Optional.empty();
    }
}
