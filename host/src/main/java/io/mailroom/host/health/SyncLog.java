package io.mailroom.host.health;

import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.Poll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * One INFO line per sync that did its work (status {@code ok} or {@code partial}): which mailbox,
 * what was found, stored, skipped and quarantined, and how long it took. An operator reading the
 * log sees that syncs run without asking the API; a failed sync already logs its warning where
 * it failed.
 */
final class SyncLog {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLog.class);

    private SyncLog() {
    }

    static void finished(Poll poll, Optional<Mailbox> mailbox) {
        if (poll.status().equals("failed") || poll.status().equals("running")) {
            return;
        }
        String which = mailbox.map(box -> "mailbox " + box.id() + " \"" + box.name() + "\" <" + box.email() + ">")
                .orElse("mailbox " + poll.mailboxId());
        double seconds = poll.finishedAt() == null ? 0
                : Duration.between(poll.startedAt(), poll.finishedAt()).toMillis() / 1000.0;
        LOG.info("Synced {}: {}, found {}, stored {}, skipped {}, quarantined {} in {} s{}", which, poll.status(),
                poll.found(), poll.stored(), poll.skipped(), poll.quarantined(),
                String.format(Locale.ROOT, "%.1f", seconds), poll.error() == null ? "" : " (" + poll.error() + ")");
    }
}
