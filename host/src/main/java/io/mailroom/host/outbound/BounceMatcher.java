package io.mailroom.host.outbound;

import io.mailroom.host.directory.DirectoryDao;
import io.mailroom.host.messages.BlobDao;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/**
 * Ties inbound bounces (classified {@code bounce} when they were stored) to the outbound message
 * they answer, by the returned message's Message-ID, and marks that message {@code bounced} with
 * the recipient, status code and diagnostic; the contact with that address, if any, is flagged
 * ({@code bounced_at}). Runs on the outbox worker's turns, so it needs no
 * hook in the sync pipeline; each bounce is looked at once ({@code bounces_checked}), by one node
 * ({@code SKIP LOCKED}).
 */
final class BounceMatcher {

    static final int BATCH = 50;
    private final Jdbi jdbi;

    BounceMatcher(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Looks at up to one batch of new bounces; returns how many it tied to an outbound message. */
    int matchNew() {
        return jdbi.inTransaction(handle -> {
            OutboxDao outbox = handle.attach(OutboxDao.class);
            BlobDao blobs = handle.attach(BlobDao.class);
            int tied = 0;
            for (OutboxDao.UncheckedBounce bounce : outbox.uncheckedBounces(BATCH)) {
                Optional<BounceReport> report = blobs.content(bounce.contentHash()).flatMap(BounceReport::read);
                Optional<Long> outbound = report.flatMap(r -> outbox.outboundByMessageId(bounce.mailboxId(),
                        r.originalMessageId()));
                outbox.checked(bounce.id(), outbound.orElse(null));
                if (outbound.isPresent()) {
                    BounceReport r = report.get();
                    outbox.recordBounce(outbound.get(), bounce.id(), r.recipient(), r.status(), r.diagnostic());
                    outbox.setMessageStatus(outbound.get(), "bounced");
                    if (r.recipient() != null) {
                        handle.attach(DirectoryDao.class).flagBounced(r.recipient());
                    }
                    tied++;
                }
            }
            return tied;
        });
    }
}
