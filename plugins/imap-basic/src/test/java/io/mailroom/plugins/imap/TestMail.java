package io.mailroom.plugins.imap;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Settings;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.RawMessage;
import io.mailroom.testkit.context.FakeContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Messages, accounts and a context for the IMAP tests. */
final class TestMail {

    static final FetchOptions ALL = new FetchOptions(null, false, key -> false);

    private TestMail() {
    }

    /** A plain message whose body is padded to about {@code size} bytes. */
    static byte[] message(String subject, int size) {
        StringBuilder text = new StringBuilder()
                .append("From: Sender <sender@example.com>\r\n")
                .append("To: Alice <alice@example.com>\r\n")
                .append("Subject: ").append(subject).append("\r\n")
                .append("Message-ID: <").append(subject.replace(' ', '.')).append("@example.com>\r\n")
                .append("Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n")
                .append("\r\n");
        String line = "The quick brown fox jumps over the lazy dog, again and again and again.\r\n";
        while (text.length() < size) {
            text.append(line);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] message(String subject) {
        return message(subject, 300);
    }

    static MailboxAccount account(int port, String security, Credential credential) {
        return new MailboxAccount(1, credential.username(), Settings.of(Map.of(
                "host", "127.0.0.1", "port", Integer.toString(port), "security", security,
                "username", credential.username())), credential);
    }

    static MailboxAccount account(int port, String user, String password) {
        return account(port, "none", Credential.password(user, password));
    }

    static String subjectOf(RawMessage message) {
        try (InputStream in = message.content().open()) {
            String head = new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
            int start = head.indexOf("Subject: ") + 9;
            return head.substring(start, head.indexOf("\r\n", start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytesOf(RawMessage message) {
        try (InputStream in = message.content().open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final ExtensionContext CONTEXT = new FakeContext("imap-basic");

    static Instant daysAgo(int days) {
        return Instant.now().minusSeconds(86_400L * days);
    }
}
