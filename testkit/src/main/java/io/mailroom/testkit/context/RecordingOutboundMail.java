package io.mailroom.testkit.context;

import io.mailroom.api.outbound.OutboundMail;
import io.mailroom.api.outbound.OutgoingMail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outbound mail that keeps what it is asked to send instead of queueing it, with the host's
 * idempotency: a second {@link #send} with a key already used returns the first id and records
 * nothing. Ids start at {@code firstId}, so a test can tell them from inbound message ids.
 */
public final class RecordingOutboundMail implements OutboundMail {

    private final AtomicLong nextId;
    private final List<Sent> sent = new ArrayList<>();
    private final Map<String, Long> byKey = new HashMap<>();

    /** A mail sent, with the id the host would have given its stored outbound message. */
    public record Sent(long id, OutgoingMail mail) {
    }

    public RecordingOutboundMail() {
        this(9_000_000);
    }

    public RecordingOutboundMail(long firstId) {
        this.nextId = new AtomicLong(firstId);
    }

    @Override
    public synchronized long send(OutgoingMail mail) {
        if (mail.to().isEmpty() && mail.replyToMessageId() == null) {
            throw new IllegalArgumentException("to: a mail needs a recipient");
        }
        if (mail.idempotencyKey() != null && byKey.containsKey(mail.idempotencyKey())) {
            return byKey.get(mail.idempotencyKey());
        }
        long id = nextId.getAndIncrement();
        sent.add(new Sent(id, mail));
        if (mail.idempotencyKey() != null) {
            byKey.put(mail.idempotencyKey(), id);
        }
        return id;
    }

    /** Every mail queued, in order (each idempotency key once). */
    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }
}
