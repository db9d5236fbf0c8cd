package io.mailroom.host.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Message, thread and quarantine reads: what lists carry, who sees what, how content leaves. */
class MessagesApiTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static ApiClient ann;
    static long annsMailbox;
    static long bobsMailbox;
    static long thread;
    static long withAttachments;

    @BeforeAll
    static void start() {
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
        long annId = user("ann@example.com");
        long bobId = user("bob@example.com");
        ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", annId)).json().get("token").asText());
        Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
        jdbi.useHandle(handle -> {
            annsMailbox = mailbox(handle, annId, "ann@example.com");
            bobsMailbox = mailbox(handle, bobId, "bob@example.com");
            handle.execute("INSERT INTO mailbox_folders (mailbox_id, name, messages) VALUES (?, 'INBOX', 7), "
                    + "(?, 'Archive', 0), (?, 'Sent', 0)", annsMailbox, annsMailbox, annsMailbox);
            thread = handle.createUpdate("INSERT INTO threads (mailbox_id, subject, message_count) VALUES (?, 'Hi', 7)")
                    .bind(0, annsMailbox).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            // Stored out of date order: the thread lists them oldest first all the same.
            for (int n = 7; n >= 1; n--) {
                message(handle, annsMailbox, thread, n);
            }
            message(handle, bobsMailbox, null, 100);
            handle.execute("INSERT INTO quarantine (mailbox_id, folder, uid_validity, server_key, content_hash, size, reason) "
                    + "VALUES (?, 'INBOX', 1, 'q', 'hash-100', 1, 'bad')", bobsMailbox);
            withAttachments = handle.createQuery("SELECT id FROM messages WHERE server_key = '1' AND mailbox_id = ?")
                    .bind(0, annsMailbox).mapTo(Long.class).one();
            attachment(handle, withAttachments, 0, "page.html", "text/html; charset=utf-8", "<script>alert(1)</script>");
            attachment(handle, withAttachments, 1, "logo.svg", "image/svg+xml", "<svg onload=\"alert(1)\"/>");
            attachment(handle, withAttachments, 2, "../../etc/r\u00e9sum\u00e9 \"final\"\r\n.pdf", "application/pdf", "%PDF");
            attachment(handle, withAttachments, 3, null, "image/png\r\nX-Injected: 1", "png");
        });
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    @Test
    void lists_leave_out_the_bodies_unless_asked_and_one_message_is_whole() {
        JsonNode plain = ann.get("/api/messages?mailbox_id=" + annsMailbox).json();
        JsonNode withBodies = ann.get("/api/messages?mailbox_id=" + annsMailbox + "&include=body").json();
        JsonNode one = ann.get("/api/messages/" + withAttachments).json();

        assertThat(plain.get("items")).hasSize(7).allSatisfy(message -> {
            assertThat(message.has("text")).isFalse();
            assertThat(message.has("html")).isFalse();
            assertThat(message.has("subject")).isTrue();
        });
        assertThat(plain.get("items").get(0).get("attachments")).isNotNull();
        assertThat(withBodies.get("items")).allSatisfy(message ->
                assertThat(message.get("text").asText()).startsWith("body of message"));
        assertThat(one.get("text").asText()).isEqualTo("body of message 1");
        assertThat(one.get("html").asText()).isEqualTo("<p>message 1</p>");
        assertThat(one.get("attachments")).hasSize(4);
        assertThat(ann.get("/api/threads/" + thread + "/messages").json().get("items").get(0).has("text")).isFalse();
    }

    @Test
    void pages_with_bodies_are_bounded_lower_and_unknown_includes_are_refused() {
        Reply tooMany = ann.get("/api/messages?include=body&limit=101");
        Reply enough = ann.get("/api/messages?include=body&limit=100");
        Reply unknown = ann.get("/api/messages?include=headers");

        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/details/path").asText()).isEqualTo("limit");
        assertThat(enough.status()).isEqualTo(200);
        assertThat(ann.get("/api/messages?limit=500").status()).isEqualTo(200);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/details/path").asText()).isEqualTo("include");
    }

    @Test
    void filtering_by_another_users_mailbox_is_a_404() {
        for (String list : List.of("/api/messages", "/api/threads", "/api/quarantine")) {
            Reply reply = ann.get(list + "?mailbox_id=" + bobsMailbox);

            assertThat(reply.status()).as(list).isEqualTo(404);
            assertThat(reply.json().get("error").asText()).as(list).isEqualTo("not_found");
            assertThat(ann.get(list + "?mailbox_id=987654").status()).as(list).isEqualTo(404);
            assertThat(admin.get(list + "?mailbox_id=" + bobsMailbox).status()).as(list).isEqualTo(200);
        }
        assertThat(admin.get("/api/quarantine?mailbox_id=" + bobsMailbox).json().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void a_threads_messages_page_by_limit_oldest_first() {
        JsonNode first = ann.get("/api/threads/" + thread + "/messages?limit=5").json();
        JsonNode second = ann.get("/api/threads/" + thread + "/messages?limit=5&cursor="
                + first.get("next_cursor").asText()).json();

        assertThat(first.get("items")).hasSize(5);
        assertThat(first.get("total").asLong()).isEqualTo(7);
        assertThat(second.get("items")).hasSize(2);
        assertThat(second.get("next_cursor").isNull()).isTrue();
        List<String> keys = new ArrayList<>();
        first.get("items").forEach(message -> keys.add(message.get("subject").asText()));
        second.get("items").forEach(message -> keys.add(message.get("subject").asText()));
        assertThat(keys).containsExactly("message 1", "message 2", "message 3", "message 4", "message 5",
                "message 6", "message 7");
    }

    @Test
    void every_list_honours_limit_and_cursor() {
        // /api/mailboxes is left out: reading its mailboxes needs the source plugin, which this test has not.
        List<String> lists = List.of("/api/messages", "/api/threads", "/api/threads/" + thread + "/messages",
                "/api/mailboxes/" + annsMailbox + "/folders", "/api/mailboxes/" + annsMailbox + "/polls",
                "/api/quarantine", "/api/users", "/api/tokens", "/api/notifications");
        for (String list : lists) {
            String separator = list.contains("?") ? "&" : "?";
            Reply reply = admin.get(list + separator + "limit=1");

            assertThat(reply.status()).as(list + ": " + reply.body()).isEqualTo(200);
            JsonNode page = reply.json();
            assertThat(page.has("items") && page.has("next_cursor") && page.has("total")).as(list).isTrue();
            assertThat(page.get("items").size()).as(list).isLessThanOrEqualTo(1);
            if (page.get("total").asLong() > 1) {
                assertThat(page.get("next_cursor").isNull()).as(list).isFalse();
                JsonNode next = admin.get(list + separator + "limit=1&cursor=" + page.get("next_cursor").asText()).json();
                assertThat(next.get("items")).as(list).hasSize(1);
                assertThat(next.get("items").get(0)).as(list).isNotEqualTo(page.get("items").get(0));
            }
            assertThat(admin.get(list + separator + "limit=0").status()).as(list).isEqualTo(400);
        }
    }

    @Test
    void raw_messages_and_attachments_leave_as_sandboxed_downloads() throws Exception {
        HttpResponse<String> raw = download("/api/messages/" + withAttachments + "/raw");
        HttpResponse<String> html = download("/api/messages/" + withAttachments + "/attachments/0");
        HttpResponse<String> svg = download("/api/messages/" + withAttachments + "/attachments/1");
        HttpResponse<String> pdf = download("/api/messages/" + withAttachments + "/attachments/2");
        HttpResponse<String> unnamed = download("/api/messages/" + withAttachments + "/attachments/3");

        for (HttpResponse<String> response : List.of(raw, html, svg, pdf, unnamed)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(header(response, "Content-Security-Policy")).isEqualTo("sandbox");
            assertThat(header(response, "Content-Disposition")).startsWith("attachment; filename=\"");
            assertThat(response.headers().firstValue("X-Injected")).isEmpty();
        }
        assertThat(header(raw, "Content-Type")).startsWith("message/rfc822");
        assertThat(header(raw, "Content-Disposition")).contains("filename=\"message-" + withAttachments + ".eml\"");
        assertThat(header(html, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(html.body()).isEqualTo("<script>alert(1)</script>");
        assertThat(header(html, "Content-Disposition")).isEqualTo("attachment; filename=\"page.html\"; filename*=UTF-8''page.html");
        assertThat(header(svg, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(pdf, "Content-Type")).isEqualTo("application/pdf");
        assertThat(header(pdf, "Content-Disposition")).isEqualTo("attachment; filename=\"r_sum_ _final_.pdf\"; "
                + "filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf");
        assertThat(header(unnamed, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(unnamed, "Content-Disposition")).contains("filename=\"attachment-3\"");
    }

    private static HttpResponse<String> download(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + mailroom.mailroom().port() + path))
                .header("Authorization", "Bearer " + mailroom.adminToken()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static long user(String email) {
        return admin.post("/api/users", Map.of("name", "Someone", "email", email)).json().get("id").asLong();
    }

    private static long mailbox(Handle handle, long owner, String email) {
        return handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) VALUES (?, 'Box', ?, 'imap')")
                .bind(0, owner).bind(1, email).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private static void message(Handle handle, long mailbox, Long thread, int n) {
        handle.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, 1, ?)", "hash-" + n,
                ("Subject: message " + n + "\r\n\r\nbody").getBytes());
        handle.execute("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, uid, content_hash, size, "
                        + "thread_id, subject, sent_at, text_body, html_body) VALUES (?, 'INBOX', 1, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
                mailbox, Integer.toString(n), n, "hash-" + n, thread, "message " + n,
                java.sql.Timestamp.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n * 60L)),
                "body of message " + n, "<p>message " + n + "</p>");
    }

    private static void attachment(Handle handle, long message, int index, String filename, String type, String content) {
        String hash = "attachment-" + index;
        handle.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)", hash, content.length(), content.getBytes());
        handle.execute("INSERT INTO attachments (message_id, index, filename, content_type, size, sha256) "
                + "VALUES (?, ?, ?, ?, ?, ?)", message, index, filename, type, content.length(), hash);
    }
}
