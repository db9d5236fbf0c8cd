package io.mailroom.plugins.pop3;

import io.mailroom.api.Settings;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.MailboxAccount;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/** Messages and accounts for the tests. */
final class TestMessages {

    private TestMessages() {
    }

    /** A small RFC 5322 message numbered {@code n}, dated {@code date}, with a line that needs dot-stuffing. */
    static byte[] message(int n, Instant date) {
        return message(n, date, 0);
    }

    /** A message with {@code padding} extra bytes of body (lines of 76 characters). */
    static byte[] message(int n, Instant date, int padding) {
        StringBuilder text = new StringBuilder()
                .append("From: sender").append(n).append("@example.com\r\n")
                .append("To: inbox@example.com\r\n")
                .append("Subject: message ").append(n).append("\r\n")
                .append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC))).append("\r\n")
                .append("Message-ID: <m").append(n).append("@example.com>\r\n")
                .append("\r\n")
                .append("Hello number ").append(n).append("\r\n")
                .append(".a line that starts with a dot\r\n");
        String line = "x".repeat(74) + "\r\n";
        for (int written = 0; written < padding; written += line.length()) {
            text.append(line);
        }
        text.append("-- \r\nthe end\r\n");
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The Date of a message made by {@link #message}, or null when it has none. */
    static Instant dateOf(byte[] content) {
        String text = new String(content, StandardCharsets.US_ASCII);
        int start = text.indexOf("\r\nDate: ");
        if (start < 0 || start > text.indexOf("\r\n\r\n")) {
            return null;
        }
        start += "\r\nDate: ".length();
        return DateTimeFormatter.RFC_1123_DATE_TIME.parse(text.substring(start, text.indexOf("\r\n", start)), Instant::from);
    }

    /** The Message-ID number of a message made by {@link #message}. */
    static int numberOf(byte[] content) {
        String text = new String(content, StandardCharsets.US_ASCII);
        int start = text.indexOf("Message-ID: <m") + "Message-ID: <m".length();
        return Integer.parseInt(text.substring(start, text.indexOf('@', start)));
    }

    static MailboxAccount account(String host, int port, String security, String user, String password,
                                  String... more) {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", host);
        settings.put("port", Integer.toString(port));
        settings.put("security", security);
        settings.put("username", user);
        settings.put("password", password);
        settings.put("server_copy", "keep");
        settings.put("delete_after_days", "14");
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return new MailboxAccount(1, user + "@example.com", Settings.of(settings), Credential.password(user, password));
    }
}
