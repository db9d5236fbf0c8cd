package io.mailroom.api.outbound;

/**
 * Sends mail from a mailbox through the host's outbox: the mail is stored (as an outbound
 * message of the mailbox, in its thread) and committed before this returns; a worker delivers it
 * over the mailbox's SMTP server afterwards, retrying temporary failures with back-off and
 * within the mailbox's rate limit. So a return means "queued", never "delivered".
 *
 * <p>Thread-safe. Calling again with the same {@link OutgoingMail#idempotencyKey()} within 24
 * hours returns the first message's id and sends nothing more: give a key built from what caused
 * the mail (message id, rule id, action index) so a retried or reprocessed step sends once.
 *
 * <p>Failures: {@link IllegalArgumentException} for a mail that cannot be sent as given (a
 * header with a line break, an address that does not parse, no recipient, a mailbox without
 * SMTP settings), with a message naming the field.
 */
public interface OutboundMail {

    /** Queues the mail; returns the id of the stored outbound message. */
    long send(OutgoingMail mail);

    /**
     * Queues a forward of a stored message of the mailbox (as an attachment or inline); returns
     * the id of the stored outbound message. Same promises and failures as {@link #send}, and the
     * same idempotency: the same key forwards once. The default, for outboxes that cannot forward,
     * refuses.
     */
    default long forward(ForwardedMail mail) {
        throw new UnsupportedOperationException("this outbox cannot forward");
    }
}
