package io.mailroom.host.pipeline;

import io.mailroom.api.source.RawContent;
import io.mailroom.api.source.RawMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

/** Small RFC 5322 messages for pipeline tests. */
final class Mails {

    private Mails() {
    }

    static String mail(String messageId, String inReplyTo, String from, String to, String subject, String body) {
        return "Message-ID: <" + messageId + ">\r\n"
                + (inReplyTo == null ? "" : "In-Reply-To: <" + inReplyTo + ">\r\nReferences: <" + inReplyTo + ">\r\n")
                + "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Mon, 16 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + body + "\r\n";
    }

    static RawMessage raw(long uid, String mail) {
        return new RawMessage(Long.toString(uid), uid, Instant.parse("2026-11-16T10:00:05Z"), Set.of(),
                RawContent.of(mail.getBytes(StandardCharsets.UTF_8)));
    }
}
