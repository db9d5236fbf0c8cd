package io.mailroom.api.outbound;

import java.util.List;

/**
 * A mail to send from a mailbox. Addresses are RFC 5322 strings ({@code "Ann <ann@example.com>"}).
 * With {@code replyToMessageId} the mail answers a stored message: threading headers, a single
 * {@code Re:} prefix, the original sender as recipient when {@code to} is empty (everyone with
 * {@code replyAll}). {@code autoSubmitted} is {@code auto-replied} or {@code auto-generated} for
 * automatic mail (RFC 3834), null for mail a person asked for.
 */
public record OutgoingMail(long mailboxId, List<String> to, List<String> cc, List<String> bcc, String subject,
                           String text, String html, Long replyToMessageId, boolean replyAll, String autoSubmitted,
                           String idempotencyKey) {

    public OutgoingMail {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
    }
}
