package io.mailroom.api.outbound;

import java.util.List;
import java.util.Objects;

/**
 * A stored message to forward from the mailbox that received it, through
 * {@link OutboundMail#forward}. The forward is a new mail ({@code Fwd:} subject, no threading
 * headers towards the recipients), kept in the original's thread in Mailroom.
 *
 * @param mailboxId       the mailbox the message is in; the forward is sent from it
 * @param messageId       the stored message to forward
 * @param to              RFC 5322 addresses ({@code "Ann <ann@example.com>"}), at least one
 * @param asAttachment    true: the original, byte for byte, as a {@code message/rfc822} attachment;
 *                        false: inline, its text (and html) below a forwarded-message header block
 * @param withAttachments inline only: whether the original's stored attachments go along (an
 *                        attachment that was over the size limit was never kept and cannot)
 * @param autoSubmitted   {@code auto-generated} for a forward no person asked for (RFC 3834), or null
 * @param idempotencyKey  as for {@link OutgoingMail#idempotencyKey()}: the same key forwards once
 */
public record ForwardedMail(long mailboxId, long messageId, List<String> to, boolean asAttachment,
                            boolean withAttachments, String autoSubmitted, String idempotencyKey) {

    public ForwardedMail {
        to = List.copyOf(Objects.requireNonNull(to, "to"));
    }
}
