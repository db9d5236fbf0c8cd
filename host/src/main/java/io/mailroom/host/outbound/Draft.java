package io.mailroom.host.outbound;

import jakarta.mail.internet.InternetAddress;

import java.time.Instant;
import java.util.List;

/**
 * A message checked and ready to compose: every header value is free of CR, LF and NUL, every
 * address parsed. {@code bcc} goes into the envelope only, never into the header.
 */
record Draft(InternetAddress from, List<InternetAddress> to, List<InternetAddress> cc, List<InternetAddress> bcc,
             String subject, String text, String html, List<Attachment> attachments, String messageId,
             String inReplyTo, List<String> references, String autoSubmitted, Instant date) {

    record Attachment(String filename, String contentType, byte[] content) {
    }

    List<InternetAddress> envelopeRecipients() {
        java.util.LinkedHashMap<String, InternetAddress> unique = new java.util.LinkedHashMap<>();
        for (List<InternetAddress> field : List.of(to, cc, bcc)) {
            field.forEach(address -> unique.putIfAbsent(address.getAddress().toLowerCase(java.util.Locale.ROOT), address));
        }
        return List.copyOf(unique.values());
    }
}
