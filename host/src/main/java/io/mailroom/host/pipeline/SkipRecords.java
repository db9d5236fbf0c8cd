package io.mailroom.host.pipeline;

import io.mailroom.api.source.RawMessage;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.PollDao;
import io.mailroom.host.mailboxes.SkippedDao;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/**
 * Messages a batch leaves on the server, recorded as skipped in the batch's transaction with why
 * (poll log and the skipped list), so that they count as seen and are not read again.
 */
final class SkipRecords {

    private static final Logger LOG = LoggerFactory.getLogger(SkipRecords.class);

    private SkipRecords() {
    }

    /** A message bigger than {@code maxMessageSize}: left on the server, and remembered so it is not read again. */
    static SyncCounts tooBig(Handle handle, Mailbox mailbox, String folder, long validity, RawMessage raw, long pollId,
                             long maxMessageSize) {
        String reason = "message " + raw.serverKey() + " of " + folder + " is bigger than the limit of "
                + maxMessageSize + " bytes (mailroom.max.message.size): more than " + maxMessageSize
                + " bytes were read; it was left on the server and not stored";
        LOG.warn("Skipped in mailbox {}: {}", mailbox.id(), reason);
        handle.attach(SkippedDao.class).insert(mailbox.id(), folder, validity, raw.serverKey(), raw.content().size(),
                reason);
        handle.attach(PollDao.class).addEvent(pollId, reason);
        return new SyncCounts(1, 0, 1, 0);
    }

    /**
     * Messages the mailbox does not take (its filter, known senders, contacts only): left on the
     * server, no bytes kept, only what an auditor needs (key, sender, subject, date, reason), and
     * remembered so they are not read again.
     */
    static SyncCounts notTaken(Handle handle, Mailbox mailbox, String folder, long validity,
                               List<PreparedMessage> notTaken, List<String> reasons, long pollId) {
        if (notTaken.isEmpty()) {
            return SyncCounts.NONE;
        }
        handle.attach(SkippedDao.class).insertNotTaken(mailbox.id(), folder, validity,
                notTaken.stream().map(m -> m.raw().serverKey()).toArray(String[]::new),
                notTaken.stream().mapToLong(m -> m.raw().content().size()).toArray(),
                reasons.toArray(String[]::new),
                notTaken.stream().map(m -> m.parsed().from() == null ? null : IngestMessage.clean(m.parsed().from().email()))
                        .toArray(String[]::new),
                notTaken.stream().map(m -> IngestMessage.clean(m.parsed().subject())).toArray(String[]::new),
                notTaken.stream().map(m -> m.parsed().date() == null ? null : m.parsed().date().toString())
                        .toArray(String[]::new));
        handle.attach(PollDao.class).addEvent(pollId, notTaken.size() + " message(s) of " + folder
                + " not taken by the mailbox's filter or sender rules: left on the server and not stored");
        LOG.info("Did not take {} message(s) of {} in mailbox {}", notTaken.size(), folder, mailbox.id());
        return new SyncCounts(notTaken.size(), 0, notTaken.size(), 0);
    }

    /** Messages sent before the first-sync window: left on the server, and remembered so they are not read again. */
    static SyncCounts beforeWindow(Handle handle, Mailbox mailbox, String folder, long validity,
                                   List<RawMessage> old, Instant notBefore, long pollId) {
        if (old.isEmpty()) {
            return SyncCounts.NONE;
        }
        String reason = "sent before the first-sync window (first_sync_days), which begins at " + notBefore
                + ": left on the server and not stored";
        handle.attach(SkippedDao.class).insertAll(mailbox.id(), folder, validity,
                old.stream().map(RawMessage::serverKey).toArray(String[]::new),
                old.stream().mapToLong(raw -> raw.content().size()).toArray(), reason);
        handle.attach(PollDao.class).addEvent(pollId, old.size() + " message(s) of " + folder + " " + reason);
        LOG.info("Skipped {} message(s) of {} in mailbox {}: {}", old.size(), folder, mailbox.id(), reason);
        return new SyncCounts(old.size(), 0, old.size(), 0);
    }
}
