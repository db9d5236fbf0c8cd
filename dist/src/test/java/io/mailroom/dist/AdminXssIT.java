package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Script payloads wherever a stranger or a user can put text: subjects (plain and RFC 2047), From
 * and recipient names, attachment file names (quoted and RFC 2231), HTML bodies, and the names
 * of mailboxes, tickets, contacts, companies, rules, templates, users, tokens, quarantine
 * reasons and notifications. The mail arrives through GreenMail and a sync with the packaged IMAP
 * plugin and the ticketing sink; the rest is made through the API. In the API the HTML is
 * sanitized, JSON is JSON the browser may not sniff, and attachments leave as downloads with safe
 * names. In a real browser every page that shows them is visited: each payload would set
 * {@code window.__xss}, change the title or ask a loopback server that counts; none of that
 * happens, no markup from the data is in the page, and the text is shown as it was written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminXssIT {

    private static final String ADDRESS = "support@example.com";

    Path dir;
    GreenMail greenMail;
    RequestRecorder counting;
    TestMailroom mailroom;
    ApiClient admin;
    BrowserSession browser;
    long mailboxId;
    String base;

    /**
     * A payload that, if it ever ran or loaded, would flag it ({@code window.__xss}) and ask the
     * counting server; {@code tag} (at most four letters: names are limited to 200 characters)
     * says where it was put.
     */
    String payload(String tag) {
        String hit = base + "/" + tag;
        return "\"><script>window.__xss=1;fetch('" + hit + "')</script><img src=x onerror=window.__xss=1>"
                + "<svg onload=window.__xss=1><iframe src=" + hit + "-f></iframe>";
    }

    /** Short enough for an encoded word and a header parameter. */
    static final String SHORT = "<img src=x onerror=window.__xss=1>";

    static String encodedWord(String text) {
        return "=?utf-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        this.dir = dir;
        counting = RequestRecorder.start();
        base = counting.base();
        greenMail = new GreenMail(new ServerSetup[]{ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.SMTP.dynamicPort()});
        greenMail.start();
        seedMail(greenMail.setUser(ADDRESS, ADDRESS, "secret"));
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic", "ticketing");
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
        browser = BrowserSession.start("http://127.0.0.1:" + mailroom.mailroom().port(), dir);
    }

    @AfterAll
    void stop() {
        try (AutoCloseable b = browser; AutoCloseable m = mailroom; AutoCloseable c = counting) {
            greenMail.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void seedMail(GreenMailUser user) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusHours(1));
        user.deliver(GreenMailUtil.newMimeMessage("""
                From: %s <ada@acme.example>
                To: %s <support@example.com>
                Subject: %s
                Message-ID: <xss-1@acme.example>
                Date: %s
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8

                %s
                """.formatted(encodedWord(SHORT), encodedWord("\"><svg onload=window.__xss=1>"), payload("subj"), date,
                payload("text")).replace("\n", "\r\n")));
        user.deliver(GreenMailUtil.newMimeMessage("""
                From: "Bea \\"><img src=x onerror=window.__xss=1>" <bea@acme.example>
                To: support@example.com
                Subject: %s
                Message-ID: <xss-2@acme.example>
                Date: %s
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/html; charset=utf-8

                <html><head><meta http-equiv="refresh" content="0;url=%s/meta">
                <style>body { background: url(%s/style) }</style><base href="%s/base/"></head>
                <body><h1>Invoice</h1>%s
                <div style="background-image: url(%s/css); width: expression(window.__xss=1)">styled</div>
                <object data="%s/object"></object><embed src="%s/embed">
                <form action="%s/form"><input name=q></form>
                <a href="javascript:window.__xss=1">link</a> <a href="JaVaScRiPt&#58;window.__xss=1">encoded</a> &lt;script&gt;window.__xss=1&lt;/script&gt;
                <math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1></style></mglyph></table></mtext></math>
                </body></html>
                --b1
                Content-Type: text/html; charset=utf-8
                Content-Disposition: attachment; filename="%s.html"

                <script>window.__xss=1</script>
                --b1
                Content-Type: image/svg+xml
                Content-Disposition: attachment; filename*=utf-8''%%3Csvg%%20onload%%3Dwindow.__xss%%3D1%%3E%%2F..%%2F.svg

                <svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1"/>
                --b1--
                """.formatted(encodedWord(SHORT + " invoice"), date, base, base, base, payload("html"), base, base, base,
                base, SHORT.replace("\"", "")).replace("\n", "\r\n")));
        // left on the server by the filter: shown as skipped mail
        user.deliver(GreenMailUtil.newMimeMessage("""
                From: %s <mallory@news.example>
                To: support@example.com
                Subject: %s
                Message-ID: <xss-3@news.example>
                Date: %s
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8

                skipped
                """.formatted(encodedWord(SHORT), payload("skip"), date).replace("\n", "\r\n")));
    }

    @Test
    @Order(1)
    void mail_and_objects_with_payloads_are_stored() {
        Map<String, Object> body = new HashMap<>(Map.of("name", payload("mbx"), "email", ADDRESS, "source", "imap",
                "settings", Map.of("host", "127.0.0.1", "port", greenMail.getImap().getPort(), "security", "none",
                        "username", ADDRESS, "password", "secret"),
                "smtp", Map.of("host", "127.0.0.1", "port", greenMail.getSmtp().getPort(), "security", "none", "save_sent", false),
                "sink", "ticketing",
                "filter_query", Map.of("field", "from", "op", "domain_in", "value", List.of("acme.example")),
                "sink_settings", Map.of("create_for_unknown_senders", true, "acknowledge", false)));
        ApiClient.Reply created = admin.post("/api/mailboxes", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        mailboxId = created.json().get("id").asLong();
        ApiClient.Reply poll = admin.post("/api/mailboxes/" + mailboxId + "/sync?wait=true", null);
        assertThat(poll.status()).as(poll.body()).isEqualTo(200);

        long companyId = created(admin.post("/api/companies", Map.of("name", payload("comp"), "domains", List.of("acme.example"))));
        created(admin.post("/api/contacts", Map.of("email", "ada@acme.example", "name", payload("cont"), "company_id", companyId)));
        created(admin.post("/api/rules", Map.of("name", payload("rule"), "condition",
                Map.of("field", "subject", "op", "contains", "value", "never-matches-anything"),
                "actions", List.of(Map.of("type", "tag", "data", Map.of("tag", SHORT))))));
        created(admin.post("/api/templates", Map.of("name", payload("tmpl"), "subject", payload("tsub"),
                "text", payload("ttxt"), "html", payload("thtm"))));
        long userId = created(admin.post("/api/users", Map.of("name", payload("user"), "email", "xss-user@example.com")));
        ApiClient.Reply token = admin.post("/api/tokens", Map.of("user_id", userId, "name", payload("tok")));
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        long me = admin.get("/api/me").json().get("id").asLong();
        var jdbi = mailroom.mailroom().core().database().jdbi();
        jdbi.useHandle(handle -> {
            // no route makes these: a notification's and a quarantine reason's text can quote what a server or a message said
            handle.execute("INSERT INTO notifications (user_id, kind, mailbox_id, message) VALUES (?, 'credential_failure', ?, ?)",
                    me, mailboxId, payload("note"));
            handle.execute("INSERT INTO quarantine (mailbox_id, folder, uid_validity, server_key, content_hash, size, reason) "
                    + "SELECT mailbox_id, 'INBOX', 1, 'xss-q', content_hash, 10, ? FROM messages WHERE mailbox_id = ? LIMIT 1",
                    payload("quar"), mailboxId);
        });

        // the ticketing sink runs after the sync commits
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (admin.get("/api/tickets").json().path("items").size() < 2) {
            assertThat(System.nanoTime()).as("two tickets").isLessThan(until);
            sleep(200);
        }
        assertThat(admin.get("/api/mailboxes/" + mailboxId + "/skipped").json().path("items").size()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void the_api_serves_sanitized_html_json_that_is_not_sniffed_and_attachments_as_safe_downloads() throws Exception {
        JsonNode messages = admin.get("/api/messages?mailbox_id=" + mailboxId + "&include=body").json().path("items");
        assertThat(messages.size()).isEqualTo(2);
        JsonNode withHtml = null;
        for (JsonNode message : messages) {
            if (!message.path("html").asText("").isEmpty()) {
                withHtml = message;
            }
        }
        assertThat(withHtml).as("the HTML message").isNotNull();
        String html = withHtml.get("html").asText().toLowerCase(java.util.Locale.ROOT);
        assertThat(html).contains("invoice").doesNotContain("<script", "onerror", "onload", "javascript:", "<iframe",
                "<svg", "<meta", "<base", "<object", "<embed", "<form", "<style", "url(", "expression(", base + "/");
        // the subject, names and file names are data: shown as the sender wrote them, decoded
        String subjects = messages.findValuesAsText("subject").toString();
        assertThat(subjects).contains("<script>window.__xss=1", SHORT + " invoice");
        assertThat(messages.toString()).contains(SHORT.replace("\"", "")).contains("\\\"><svg onload=window.__xss=1>");

        HttpClient http = HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + mailroom.mailroom().port();
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(api + "/api/messages/" + withHtml.get("id").asLong()
                + "?include=body")).header("Authorization", "Bearer " + mailroom.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(json.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        JsonNode attachments = withHtml.path("attachments");
        assertThat(attachments.size()).isEqualTo(2);
        for (JsonNode attachment : attachments) {
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(api + "/api/messages/"
                    + withHtml.get("id").asLong() + "/attachments/" + attachment.get("index").asInt()))
                    .header("Authorization", "Bearer " + mailroom.adminToken()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            String disposition = download.headers().firstValue("Content-Disposition").orElseThrow();
            String type = download.headers().firstValue("Content-Type").orElseThrow();
            assertThat(disposition).as(attachment.toString()).startsWith("attachment; filename=\"");
            String fallback = disposition.substring("attachment; filename=\"".length(), disposition.indexOf('"', 22));
            // no quote to break out of the parameter, no path; the name is otherwise the sender's
            assertThat(fallback).as(disposition).doesNotContain("\"", "/", "\\");
            assertThat(disposition.substring(disposition.indexOf("filename*="))).doesNotContain("<", ">", "\"", "/");
            assertThat(type).as(disposition).doesNotContain("html", "svg", "xml");
            assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(download.headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
        }
    }

    @Test
    @Order(3)
    void no_page_runs_a_payload_and_each_shows_the_text_as_written() {
        browser.open("/admin/#token=" + mailroom.adminToken());
        browser.heading("Mailboxes");
        List<String> visited = new ArrayList<>();
        long messageId = 0;
        long htmlMessageId = 0;
        for (JsonNode message : admin.get("/api/messages?mailbox_id=" + mailboxId).json().path("items")) {
            if (message.get("subject").asText().contains("invoice")) {
                htmlMessageId = message.get("id").asLong();
            } else {
                messageId = message.get("id").asLong();
            }
        }
        long threadId = admin.get("/api/threads?mailbox_id=" + mailboxId).json().at("/items/0/id").asLong();
        String ticket = admin.get("/api/tickets").json().at("/items/0/ref").asText();
        String[][] pages = {
            {"#/mailboxes", "mbx"}, {"#/mailboxes/" + mailboxId, "skip"},
            {"#/messages?mailbox_id=" + mailboxId, "subj"}, {"#/messages/" + messageId, null},
            {"#/messages/" + htmlMessageId, null}, {"#/threads?mailbox_id=" + mailboxId, null}, {"#/threads/" + threadId, null},
            {"#/quarantine", "quar"}, {"#/tickets", "subj"}, {"#/tickets/" + ticket, null},
            {"#/contacts", "cont"}, {"#/companies", "comp"}, {"#/rules", "rule"},
            {"#/templates", "tmpl"}, {"#/users", "user"}, {"#/tokens", "tok"}, {"#/notifications", "note"}};
        for (String[] page : pages) {
            browser.open("/admin/" + page[0]);
            // the page is drawn once it has a heading and no "Loading"
            browser.waiting().until(driver -> !driver.findElements(By.cssSelector("main h1")).isEmpty()
                    && !driver.findElement(By.id("main")).getText().contains("Loading"));
            String text = browser.waiting().until(driver -> {
                String shown = driver.findElement(By.id("main")).getText();
                boolean literal = shown.contains("<script>window.__xss=1") && shown.contains("/" + page[1] + "')</script>");
                return page[1] == null || literal ? shown : null;
            });
            assertThat(text).as(page[0]).isNotBlank();
            assertInert(page[0]);
            browser.screenshot("xss-" + page[0].replaceAll("[^a-z0-9]+", "-"));
            visited.add(page[0]);
        }
        // the message frame is sandboxed, and its content is the sanitized body: nothing in it runs either
        browser.open("/admin/#/messages/" + htmlMessageId);
        var frame = browser.visible(By.cssSelector("iframe.message-frame"));
        assertThat(frame.getAttribute("sandbox")).isEmpty();
        browser.driver.switchTo().frame(frame);
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Invoice");
        // the frame's own head holds only the charset and the policy the page wrote
        assertThat(browser.driver.findElements(By.cssSelector("body script, body iframe, body svg, body object, body embed, "
                + "body form, body meta, base, body style, meta[http-equiv=refresh i], [onerror], [onload]"))).isEmpty();
        browser.driver.switchTo().defaultContent();
        assertInert("the message frame");
        assertThat(visited).hasSize(pages.length);
        assertThat(counting.requests()).as("requests the payloads made").isEmpty();
    }

    /** Nothing ran, and no element the data described is in the page (the policy is not what stops it). */
    private void assertInert(String where) {
        assertThat(browser.script("return typeof window.__xss")).as(where).isEqualTo("undefined");
        assertThat(browser.driver.getTitle()).as(where).doesNotContain("pwned");
        assertThat(browser.script("return document.querySelectorAll('#main script, #main svg, #main iframe:not(.message-frame), "
                + "#main img[src=x], #main [onerror], #main [onload], #main a[href^=\"javascript\" i], #main object, "
                + "#main embed').length")).as(where).isEqualTo(0L);
        assertThat(counting.requests()).as(where).isEmpty();
    }

    private static long created(ApiClient.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asLong();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
