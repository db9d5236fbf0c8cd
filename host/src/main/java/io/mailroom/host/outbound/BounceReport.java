package io.mailroom.host.outbound;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * What a bounce says, read from its raw bytes in one pass over its lines (linear, bounded to
 * the first {@link #MAX_SCANNED} bytes): after the bounce's own header section, the first
 * {@code Message-ID} is the returned message's (a DSN's {@code text/rfc822-headers} or
 * {@code message/rfc822} part, or the headers a mailer-daemon quotes), and the first
 * {@code Final-Recipient} (or {@code Original-Recipient}), {@code Status} and
 * {@code Diagnostic-Code} are the RFC 3464 per-recipient fields. Base64-encoded report parts
 * are not read (rare in practice).
 */
record BounceReport(String originalMessageId, String recipient, String status, String diagnostic) {

    static final int MAX_SCANNED = 256 * 1024;

    static Optional<BounceReport> read(byte[] raw) {
        String text = new String(raw, 0, Math.min(raw.length, MAX_SCANNED), StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length && !lines[i].isEmpty()) {
            i++;
        }
        String messageId = null;
        String recipient = null;
        String status = null;
        String diagnostic = null;
        for (; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || colon > 40) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = unfold(lines, i, line.substring(colon + 1).strip());
            switch (name) {
                case "message-id" -> messageId = messageId == null ? angleAddress(value) : messageId;
                case "final-recipient" -> recipient = recipient == null ? typed(value) : recipient;
                case "original-recipient" -> recipient = recipient == null ? typed(value) : recipient;
                case "status" -> status = status == null ? value : status;
                case "diagnostic-code" -> diagnostic = diagnostic == null ? typed(value) : diagnostic;
                default -> {
                }
            }
        }
        return messageId == null ? Optional.empty()
                : Optional.of(new BounceReport(messageId, recipient, status, limit(diagnostic)));
    }

    /** The value with its continuation lines (those starting with white space), at most 4 of them. */
    private static String unfold(String[] lines, int at, String value) {
        StringBuilder out = new StringBuilder(value);
        for (int j = at + 1; j < lines.length && j <= at + 4 && !lines[j].isEmpty()
                && (lines[j].charAt(0) == ' ' || lines[j].charAt(0) == '\t'); j++) {
            out.append(' ').append(lines[j].strip());
        }
        return out.toString();
    }

    private static String angleAddress(String value) {
        int open = value.indexOf('<');
        int close = open < 0 ? -1 : value.indexOf('>', open);
        return open >= 0 && close > open ? value.substring(open, close + 1) : null;
    }

    /** {@code rfc822; bob@example.com} → {@code bob@example.com}. */
    private static String typed(String value) {
        int semicolon = value.indexOf(';');
        return semicolon >= 0 ? value.substring(semicolon + 1).strip() : value;
    }

    private static String limit(String value) {
        return value == null || value.length() <= 1000 ? value : value.substring(0, 1000);
    }
}
