package io.mailroom.host.messages;

import io.mailroom.host.TestMailroom;
import io.mailroom.host.mime.ParsedAttachment;
import io.mailroom.host.mime.ParsedMessage;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attachments are read again from the raw message by their MIME part; the bytes are those a
 * blob of their own held before V20, and rows from before V20 (a blob each) still download.
 */
class AttachmentDownloadTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static Jdbi jdbi;
    static byte[] large = new byte[3_000_000];
    static List<ParsedAttachment> parsed;
    static long message;
    static long before;

    static final String RAW = """
            From: a@example.com
            Subject: four kinds
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: text/plain

            see attached
            --outer
            Content-Type: application/pdf; name="scan.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQKc2Nhbm5lZAo=
            --outer
            Content-Type: multipart/related; boundary=inner

            --inner
            Content-Type: text/plain; charset=utf-8
            Content-Disposition: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%82%AC.txt
            Content-Transfer-Encoding: quoted-printable

            caf=C3=A9 =E2=82=AC=
             soft break
            --inner--
            --outer
            Content-Type: message/rfc822

            From: b@example.com
            Subject: forwarded

            inner body
            --outer
            Content-Type: application/zip; name=big.zip
            Content-Transfer-Encoding: base64

            LARGE
            --outer--
            """;

    static final List<byte[]> EXPECTED = List.of(
            "%PDF-1.4\nscanned\n".getBytes(StandardCharsets.US_ASCII),
            "café € soft break".getBytes(StandardCharsets.UTF_8),
            "From: b@example.com\r\nSubject: forwarded\r\n\r\ninner body".getBytes(StandardCharsets.US_ASCII),
            large);

    @BeforeAll
    static void start() throws IOException {
        new Random(9).nextBytes(large);
        byte[] raw = RAW.replace("\n", "\r\n").replace("LARGE", Base64.getMimeEncoder().encodeToString(large))
                .getBytes(StandardCharsets.US_ASCII);
        mailroom = TestMailroom.start(dir);
        jdbi = mailroom.mailroom().core().database().jdbi();
        try (ParsedMessage message = mailroom.mailroom().core().parser().parse(new ByteArrayInputStream(raw))) {
            parsed = message.attachments();
        }
        assertThat(parsed).extracting(ParsedAttachment::part).containsExactly("2", "3.1", "4", "5");
        jdbi.useHandle(handle -> {
            long user = handle.createQuery("SELECT id FROM users ORDER BY id LIMIT 1").mapTo(Long.class).one();
            long mailbox = handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) "
                    + "VALUES (?, 'Box', 'box@example.com', 'imap')").bind(0, user)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            String rawHash = hex(raw);
            handle.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)", rawHash, raw.length, raw);
            message = message(handle, mailbox, "1", rawHash, raw.length);
            before = message(handle, mailbox, "2", rawHash, raw.length);
            for (ParsedAttachment a : parsed) {
                handle.execute("INSERT INTO attachments (message_id, index, filename, content_type, size, sha256, part) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)", message, a.index(), a.filename(), a.contentType(), a.size(),
                        a.sha256(), a.part());
                // as stored before V20: the decoded bytes in a blob of their own
                byte[] decoded = EXPECTED.get(a.index());
                handle.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        hex(decoded), decoded.length, decoded);
                handle.execute("INSERT INTO attachments (message_id, index, filename, content_type, size, sha256) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", before, a.index(), a.filename(), a.contentType(), a.size(),
                        hex(decoded));
            }
        });
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    @Test
    void base64_quoted_printable_nested_and_large_attachments_download_as_the_bytes_stored_before() throws Exception {
        assertThat(parsed).extracting(ParsedAttachment::filename)
                .containsExactly("scan.pdf", "Résumé €.txt", "forwarded.eml", "big.zip");
        for (int index = 0; index < EXPECTED.size(); index++) {
            HttpResponse<byte[]> now = download(message, index);
            HttpResponse<byte[]> old = download(before, index);

            assertThat(now.statusCode()).as("attachment %d", index).isEqualTo(200);
            assertThat(now.body()).as("attachment %d", index).isEqualTo(EXPECTED.get(index)).isEqualTo(old.body());
            assertThat(now.headers().firstValue("Content-Length")).hasValue(Long.toString(EXPECTED.get(index).length));
            assertThat(now.headers().firstValue("Content-Disposition"))
                    .isEqualTo(old.headers().firstValue("Content-Disposition"));
            assertThat(now.headers().firstValue("Content-Type")).isEqualTo(old.headers().firstValue("Content-Type"));
        }
        assertThat(download(message, 1).headers().firstValue("Content-Disposition")).hasValue(
                "attachment; filename=\"R_sum_ _.txt\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%82%AC.txt");
    }

    @Test
    void the_api_shows_attachments_read_from_the_raw_message_as_it_shows_those_stored_before() {
        String now = mailroom.admin().get("/api/messages/" + message).json().get("attachments").toString();
        String old = mailroom.admin().get("/api/messages/" + before).json().get("attachments").toString();

        assertThat(now).isEqualTo(old).contains("\"stored\":true", "\"size\":3000000", "\"index\":3");
    }

    @Test
    void a_part_that_decodes_to_other_bytes_than_were_stored_is_a_broken_download_not_a_wrong_file() throws Exception {
        long other = copyOf(message, "UPDATE attachments SET sha256 = repeat('0', 64) WHERE index = 3 AND message_id = ?");
        long missing = copyOf(message, "UPDATE attachments SET part = '9' WHERE index = 3 AND message_id = ?");

        assertThatThrownBy(() -> download(other, 3)).isInstanceOf(IOException.class);
        assertThat(download(missing, 3).statusCode()).isEqualTo(500);
        assertThat(new String(download(missing, 3).body(), StandardCharsets.UTF_8)).contains("attachment_unreadable");
    }

    /** A second message with the same raw bytes and attachment rows, changed by {@code sql}. */
    private static long copyOf(long id, String sql) {
        return jdbi.withHandle(handle -> {
            long copy = handle.createQuery("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, "
                            + "content_hash, size) SELECT mailbox_id, folder, uid_validity, server_key || 'c' || nextval('messages_id_seq'), "
                            + "content_hash, size FROM messages WHERE id = ? RETURNING id").bind(0, id)
                    .mapTo(Long.class).one();
            handle.execute("INSERT INTO attachments SELECT ?, index, filename, content_type, size, sha256, part "
                    + "FROM attachments WHERE message_id = ?", copy, id);
            handle.execute(sql, copy);
            return copy;
        });
    }

    private static long message(Handle handle, long mailbox, String key, String hash, long size) {
        return handle.createUpdate("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, "
                        + "size, subject) VALUES (?, 'INBOX', 1, ?, ?, ?, 'four kinds')")
                .bind(0, mailbox).bind(1, key).bind(2, hash).bind(3, size)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private static HttpResponse<byte[]> download(long id, int index) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + mailroom.mailroom().port()
                        + "/api/messages/" + id + "/attachments/" + index))
                .header("Authorization", "Bearer " + mailroom.adminToken()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
