package io.mailroom.host.rules.actions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.message.Address;
import io.mailroom.api.message.AttachmentInfo;
import io.mailroom.api.message.Classification;
import io.mailroom.api.message.MessageView;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedAttachment;
import io.mailroom.host.mime.ParsedMessage;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A message stored as ingest stores one (its raw bytes as a blob, its row, its attachments read
 * from the raw message by part), and the {@link MessageView} the processing chain would hand a
 * rule action for it.
 */
final class StoredMail {

    static final String RAW = """
            From: Carla Client <carla@customer.example>
            To: Support <support@example.com>
            Cc: dan@customer.example
            Subject: Printer on fire
            Date: Mon, 30 Nov 2026 09:30:00 +0000
            Message-ID: <fire-KEY@customer.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=alt

            --alt
            Content-Type: text/plain; charset=utf-8

            The printer is on fire.
            --alt
            Content-Type: text/html; charset=utf-8

            <p>The printer is <b>on fire</b>.</p>
            --alt--
            --outer
            Content-Type: application/pdf; name="photo.pdf"
            Content-Disposition: attachment; filename="photo.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQKc2Nhbm5lZAo=
            --outer--
            """;

    /** The decoded bytes of the attachment in {@link #RAW}. */
    static final byte[] PDF = "%PDF-1.4\nscanned\n".getBytes(StandardCharsets.US_ASCII);

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredMail() {
    }

    /** The raw bytes of {@link #RAW} with {@code key} in its Message-ID, CRLF line ends. */
    static byte[] raw(String key) {
        return RAW.replace("KEY", key).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Stores {@link #raw(String)} in the mailbox's INBOX and returns its view. */
    static MessageView store(Jdbi jdbi, MessageParser parser, long mailboxId, String key) {
        byte[] raw = raw(key);
        ParsedMessage parsed;
        try {
            parsed = parser.parse(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (parsed) {
            return jdbi.inTransaction(handle -> {
                String hash = sha256(raw);
                handle.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        hash, raw.length, raw);
                long thread = handle.createUpdate("INSERT INTO threads (mailbox_id, subject, message_count) VALUES (?, ?, 1)")
                        .bind(0, mailboxId).bind(1, parsed.subject()).executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class).one();
                long id = handle.createUpdate("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, "
                                + "content_hash, size, message_id, thread_id, from_name, from_email, to_addresses, "
                                + "cc_addresses, subject, sent_at, text_body, html_body) VALUES (:mailbox, 'INBOX', 1, "
                                + ":key, :hash, :size, :messageId, :thread, :fromName, :fromEmail, CAST(:to AS jsonb), "
                                + "CAST(:cc AS jsonb), :subject, :date, :text, :html)")
                        .bind("mailbox", mailboxId).bind("key", key).bind("hash", hash).bind("size", raw.length)
                        .bind("messageId", parsed.messageId()).bind("thread", thread)
                        .bind("fromName", parsed.from().name()).bind("fromEmail", parsed.from().email())
                        .bind("to", json(parsed.to())).bind("cc", json(parsed.cc())).bind("subject", parsed.subject())
                        .bind("date", parsed.date()).bind("text", parsed.text()).bind("html", parsed.html())
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                for (ParsedAttachment a : parsed.attachments()) {
                    handle.execute("INSERT INTO attachments (message_id, index, filename, content_type, size, sha256, part) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?)", id, a.index(), a.filename(), a.contentType(), a.size(),
                            a.sha256(), a.part());
                }
                return new MessageView(id, mailboxId, "INBOX", parsed.messageId(), null, List.of(), thread,
                        parsed.from(), parsed.to(), parsed.cc(), parsed.subject(), parsed.date(), Map.of(),
                        parsed.text(), Classification.NORMAL, Set.of(), Set.of("vip"),
                        parsed.attachments().stream().map(a -> new AttachmentInfo(a.index(), a.filename(),
                                a.contentType(), a.size(), a.stored())).toList());
            });
        }
    }

    private static String json(List<Address> addresses) {
        try {
            return JSON.writeValueAsString(addresses.stream()
                    .map(a -> Map.of("name", a.name(), "email", a.email())).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
