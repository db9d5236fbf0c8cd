package io.mailroom.host.outbound;

import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;

/**
 * A delivery status notification (RFC 3464) saying a sent message could not be delivered to
 * {@code nobody@customer.example} (5.1.1, user unknown), stored as a received message the way a
 * sync stores one, so the outbox's bounce handling finds it.
 */
public final class Bounces {

    private Bounces() {
    }

    /**
     * Stores the bounce of the message {@code originalMessageId} in mailbox {@code mailboxId}, sent
     * to {@code to}; {@code key} names it (its blob, server key and Message-ID {@code <key@mx.customer.example>}).
     */
    public static void store(Jdbi jdbi, long mailboxId, String key, String to, String originalMessageId) {
        String dsn = String.join("\r\n",
                "From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>",
                "To: " + to,
                "Subject: Undelivered Mail Returned to Sender",
                "Message-ID: <" + key + "@mx.customer.example>",
                "MIME-Version: 1.0",
                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"",
                "",
                "--b",
                "Content-Type: text/plain",
                "",
                "I'm sorry to have to inform you that your message could not be delivered.",
                "--b",
                "Content-Type: message/delivery-status",
                "",
                "Reporting-MTA: dns; mx.customer.example",
                "",
                "Final-Recipient: rfc822; nobody@customer.example",
                "Action: failed",
                "Status: 5.1.1",
                "Diagnostic-Code: smtp; 550 5.1.1 <nobody@customer.example>:",
                "    Recipient address rejected: User unknown",
                "--b",
                "Content-Type: text/rfc822-headers",
                "",
                "From: Zoë Support <" + to + ">",
                "Subject: Will bounce",
                "Message-ID: " + originalMessageId,
                "--b--",
                "");
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, 1, ?)", key,
                    dsn.getBytes(StandardCharsets.UTF_8));
            handle.execute("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, size, "
                    + "message_id, from_email, subject, classification, received_at) VALUES (?, 'INBOX', 1, ?, ?, 1, ?, "
                    + "'MAILER-DAEMON@mx.customer.example', 'Undelivered', 'bounce', now())", mailboxId, key, key,
                    "<" + key + "@mx.customer.example>");
        });
    }
}
