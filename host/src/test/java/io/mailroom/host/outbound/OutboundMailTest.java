package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.mailroom.host.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Sending through the outbox to GreenMail's SMTP server, read back as it arrived. */
class OutboundMailTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static ApiClient ann;
    static GreenMail smtp;
    static long mailbox;
    static long annId;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        mailroom = TestMailroom.start(dir, Map.of("mailroom.outbox.poll.ms", "100", "mailroom.outbox.retry.base", "1",
                "mailroom.max.attachment.size", "100000"));
        admin = mailroom.admin();
        annId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann@example.com")).json().get("id").asLong();
        ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", annId)).json().get("token").asText());
        mailbox = mailbox("Zoë Support", "support@example.com", smtp.getSmtp().getPort(), 1000);
    }

    @AfterAll
    static void stop() {
        mailroom.close();
        smtp.stop();
    }

    static Jdbi jdbi() {
        return mailroom.mailroom().core().database().jdbi();
    }

    static long mailbox(String name, String email, int smtpPort, int ratePerMinute) {
        return jdbi().withHandle(handle -> {
            long id = handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) VALUES (?, ?, ?, 'imap')")
                    .bind(0, annId).bind(1, name).bind(2, email).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, rate_per_minute) "
                    + "VALUES (?, '127.0.0.1', ?, 'none', ?)", id, smtpPort, ratePerMinute);
            return id;
        });
    }

    static Map<String, Object> mail(long from, Object to, String subject, String text) {
        Map<String, Object> body = new HashMap<>();
        body.put("mailbox_id", from);
        body.put("to", to);
        body.put("subject", subject);
        body.put("text", text);
        return body;
    }

    static JsonNode sent(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        return reply.json();
    }

    static String status(long id) {
        return ann.get("/api/messages/" + id).json().get("status").asText();
    }

    static List<MimeMessage> arrivedWithSubject(String subject) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    static MimeMessage arrived(String subject) {
        await("'" + subject + "' to arrive", () -> !arrivedWithSubject(subject).isEmpty());
        return arrivedWithSubject(subject).getFirst();
    }

    static String raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    static long outboxRows() {
        return jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one());
    }

    @Test
    void a_plain_mail_is_queued_then_sent_with_correct_headers_and_listed_as_outbound() throws Exception {
        JsonNode queued = sent(ann.post("/api/send", mail(mailbox, "Bob <bob@customer.example>", "Plain hello", "Hello Bob")));

        assertThat(queued.get("direction").asText()).isEqualTo("outbound");
        assertThat(queued.get("status").asText()).isEqualTo("queued");
        long id = queued.get("id").asLong();
        MimeMessage got = arrived("Plain hello");
        await("status sent", () -> status(id).equals("sent"));

        assertThat(got.getHeader("Message-ID")[0]).endsWith("@example.com>").isEqualTo(queued.get("message_id").asText());
        assertThat(got.getHeader("Date")).isNotEmpty();
        assertThat(got.getHeader("MIME-Version")[0]).isEqualTo("1.0");
        assertThat(got.getHeader("Auto-Submitted")).isNull();
        assertThat(((String) got.getContent()).strip()).isEqualTo("Hello Bob");
        JsonNode outbound = ann.get("/api/messages?direction=outbound&mailbox_id=" + mailbox).json();
        assertThat(outbound.get("items").findValuesAsText("id")).contains(Long.toString(id));
        assertThat(ann.get("/api/messages/" + id + "/raw").body()).contains(queued.get("message_id").asText())
                .doesNotContain("Bcc");
        // the attempt was recorded before DATA and before the final dot, then its outcome
        assertThat((boolean) jdbi().withHandle(h -> h.createQuery("SELECT data_at <= end_of_data_at AND end_of_data_at <= done_at "
                + "AND state = 'sent' FROM outbox WHERE message_id = ?").bind(0, id).mapTo(Boolean.class).one())).isTrue();
    }

    @Test
    void html_text_attachments_and_non_ascii_everywhere_arrive_intact() throws Exception {
        Map<String, Object> body = mail(mailbox, List.of(Map.of("name", "Jürgen Groß", "email", "juergen@customer.example")),
                "Grüße aus 東京 – ça va?", "Ça va? — ünïcödé text");
        body.put("html", "<p>Ça va? <b>東京</b></p>");
        body.put("cc", "Ünal <uenal@customer.example>");
        body.put("bcc", List.of("hidden@customer.example"));
        byte[] pdf = "%PDF-1.4 résumé".getBytes(StandardCharsets.UTF_8);
        body.put("attachments", List.of(Map.of("filename", "résumé 東京 très long nom de fichier pour RFC 2231.pdf",
                "content_type", "application/pdf", "content_base64", Base64.getEncoder().encodeToString(pdf))));
        long id = sent(ann.post("/api/send", body)).get("id").asLong();

        MimeMessage got = arrived("Grüße aus 東京 – ça va?");
        String raw = raw(got);
        assertThat(raw).contains("=?UTF-8?").contains("filename*").doesNotContain("hidden@customer.example");
        assertThat(got.getFrom()[0].toString()).contains("support@example.com");
        assertThat(((jakarta.mail.internet.InternetAddress) got.getFrom()[0]).getPersonal()).isEqualTo("Zoë Support");
        assertThat(((jakarta.mail.internet.InternetAddress) got.getRecipients(MimeMessage.RecipientType.TO)[0])
                .getPersonal()).isEqualTo("Jürgen Groß");
        assertThat(got.getContentType()).startsWith("multipart/mixed");
        Multipart mixed = (Multipart) got.getContent();
        BodyPart alternative = mixed.getBodyPart(0);
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        Multipart parts = (Multipart) alternative.getContent();
        assertThat(parts.getBodyPart(0).getContent().toString()).contains("Ça va? — ünïcödé text");
        assertThat(parts.getBodyPart(1).getContent().toString()).contains("<b>東京</b>");
        assertThat(Arrays.asList(((jakarta.mail.internet.MimeBodyPart) parts.getBodyPart(0)).getHeader("Content-Transfer-Encoding")))
                .containsAnyOf("quoted-printable", "base64");
        BodyPart attachment = mixed.getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo("résumé 東京 très long nom de fichier pour RFC 2231.pdf");
        assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(pdf);
        // the hidden copy went out in the envelope only
        await("the bcc copy", () -> Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return "Grüße aus 東京 – ça va?".equals(m.getSubject());
            } catch (Exception e) {
                return false;
            }
        }).count() == 3);
        JsonNode stored = ann.get("/api/messages/" + id).json();
        assertThat(stored.at("/attachments/0/filename").asText()).startsWith("résumé 東京");
        assertThat(stored.at("/cc/0/email").asText()).isEqualTo("uenal@customer.example");
        // the attachment is stored once, in the sent message's raw bytes, and downloads from there
        assertThat(ann.get("/api/messages/" + id + "/attachments/0").body().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(pdf);
    }

    @Test
    void header_injection_bad_addresses_no_recipient_and_oversize_are_400s_and_queue_nothing() {
        long before = outboxRows();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        Map<String, Map<String, Object>> bodies = new java.util.LinkedHashMap<>();
        bodies.put("subject", mail(mailbox, "bob@customer.example", "Hi\r\nBcc: victim@elsewhere.example", "x"));
        bodies.put("to", mail(mailbox, "bob@customer.example\r\nBcc: victim@elsewhere.example", "Hi", "x"));
        bodies.put("to[0].name", mail(mailbox, List.of(Map.of("name", "Bob\nBcc: v@e.example", "email", "bob@customer.example")), "Hi", "x"));
        bodies.put("to[0]", mail(mailbox, List.of("not an address"), "Hi", "x"));
        Map<String, Object> nul = mail(mailbox, "bob@customer.example", "Hi\u0000there", "x");
        bodies.put("subject ", nul);
        Map<String, Object> nobody = mail(mailbox, null, "Hi", "x");
        bodies.put("to ", nobody);
        Map<String, Object> badFile = mail(mailbox, "bob@customer.example", "Hi", "x");
        badFile.put("attachments", List.of(Map.of("filename", "a.txt\r\nContent-Type: text/html", "content_base64", "eA==")));
        bodies.put("attachments[0].filename", badFile);
        Map<String, Object> big = mail(mailbox, "bob@customer.example", "Hi", "x");
        big.put("attachments", List.of(Map.of("filename", "big.bin",
                "content_base64", Base64.getEncoder().encodeToString(new byte[200_000]))));
        bodies.put("attachments[0].content_base64", big);
        Map<String, Object> noBody = mail(mailbox, "bob@customer.example", "Hi", null);
        bodies.put("text", noBody);

        bodies.forEach((path, body) -> {
            Reply reply = ann.post("/api/send", body);
            assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.json().at("/details/path").asText()).as(reply.body()).isEqualTo(path.strip());
        });
        assertThat(outboxRows()).isEqualTo(before);
    }

    @Test
    void the_same_idempotency_key_returns_the_same_message_and_sends_once() {
        Map<String, Object> body = mail(mailbox, "bob@customer.example", "Once only", "x");
        Reply first = ann.send("POST", "/api/send", body, Map.of("Idempotency-Key", "order-42-confirmation"));
        arrived("Once only");
        Reply second = ann.send("POST", "/api/send", body, Map.of("Idempotency-Key", "order-42-confirmation"));

        assertThat(second.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
        await("status sent", () -> status(first.json().get("id").asLong()).equals("sent"));
        assertThat(arrivedWithSubject("Once only")).hasSize(1);
        assertThat((long) jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM messages WHERE subject = 'Once only'")
                .mapTo(Long.class).one())).isEqualTo(1);
    }

    @Test
    void a_reply_answers_the_sender_in_the_same_thread_with_one_re_prefix() throws Exception {
        long[] original = new long[2];
        jdbi().useHandle(handle -> {
            long thread = handle.createUpdate("INSERT INTO threads (mailbox_id, subject, message_count) VALUES (?, 'Help', 1)")
                    .bind(0, mailbox).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            handle.execute("INSERT INTO blobs (sha256, size, content) VALUES ('orig-1', 1, 'x') ON CONFLICT DO NOTHING");
            original[0] = handle.createUpdate("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, "
                    + "size, message_id, refs, thread_id, from_name, from_email, to_addresses, cc_addresses, subject) "
                    + "VALUES (?, 'INBOX', 1, 'r1', 'orig-1', 1, '<q1@customer.example>', '{<root@customer.example>}', ?, "
                    + "'Carla', 'carla@customer.example', '[{\"name\":null,\"email\":\"support@example.com\"}]', "
                    + "'[{\"name\":\"Dan\",\"email\":\"dan@customer.example\"}]', 'RE: Help needed')")
                    .bind(0, mailbox).bind(1, thread).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            original[1] = thread;
        });
        Map<String, Object> body = new HashMap<>();
        body.put("mailbox_id", mailbox);
        body.put("reply_to_message_id", original[0]);
        body.put("reply_all", true);
        body.put("text", "We are on it.");
        JsonNode reply = sent(ann.post("/api/send", body));

        assertThat(reply.get("subject").asText()).isEqualTo("RE: Help needed");
        assertThat(reply.get("thread_id").asLong()).isEqualTo(original[1]);
        assertThat(reply.get("in_reply_to").asText()).isEqualTo("<q1@customer.example>");
        MimeMessage got = arrived("RE: Help needed");
        assertThat(got.getHeader("In-Reply-To")[0]).isEqualTo("<q1@customer.example>");
        assertThat(got.getHeader("References")[0].replaceAll("\\s+", " "))
                .isEqualTo("<root@customer.example> <q1@customer.example>");
        assertThat(got.getRecipients(MimeMessage.RecipientType.TO)[0].toString()).contains("carla@customer.example");
        assertThat(got.getRecipients(MimeMessage.RecipientType.CC)[0].toString()).contains("dan@customer.example");
        assertThat(ann.get("/api/threads/" + original[1] + "/messages").json().toString()).contains(reply.get("message_id").asText());

        Map<String, Object> plain = new HashMap<>(body);
        plain.put("subject", "Help needed");
        plain.remove("reply_all");
        JsonNode second = sent(ann.post("/api/send", plain));
        assertThat(second.get("subject").asText()).isEqualTo("Re: Help needed");
        assertThat(second.get("cc")).isEmpty();
    }

    @Test
    void templates_escape_values_in_html_only_report_missing_variables_and_refuse_bad_syntax() throws Exception {
        Reply bad = ann.post("/api/templates", Map.of("name", "broken", "text", "x", "html", "<p>{{#open}}</p>"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/details/path").asText()).isEqualTo("html");
        JsonNode template = ann.post("/api/templates", Map.of("name", "ack", "subject", "Ticket for {{name}}",
                "text", "Hello {{name}}, {{missing}}done.", "html", "<p>Hello {{name}}</p>")).json();
        Map<String, Object> body = new HashMap<>();
        body.put("mailbox_id", mailbox);
        body.put("to", "bob@customer.example");
        body.put("template_id", template.get("id").asLong());
        body.put("context", Map.of("name", "<b>Tom & Jerry</b>"));
        JsonNode queued = sent(ann.post("/api/send", body));

        assertThat(queued.get("warnings").toString()).contains("missing");
        MimeMessage got = arrived("Ticket for <b>Tom & Jerry</b>");
        Multipart parts = (Multipart) got.getContent();
        assertThat(parts.getBodyPart(0).getContent().toString()).contains("Hello <b>Tom & Jerry</b>, done.");
        assertThat(parts.getBodyPart(1).getContent().toString()).contains("Hello &lt;b&gt;Tom &amp; Jerry&lt;/b&gt;");

        long bobId = admin.post("/api/users", Map.of("name", "Bob", "email", "bob-user@example.com")).json().get("id").asLong();
        ApiClient bob = mailroom.client(admin.post("/api/tokens", Map.of("user_id", bobId)).json().get("token").asText());
        assertThat(bob.get("/api/templates/" + template.get("id").asLong()).status()).isEqualTo(404);
        Reply notHis = ann.post("/api/send", Map.of("mailbox_id", mailbox, "to", "x@customer.example",
                "template_id", 987654));
        assertThat(notHis.json().at("/details/path").asText()).isEqualTo("template_id");
    }

    @Test
    void a_signature_goes_below_the_body_and_above_the_quoted_original() throws Exception {
        long signed = mailbox("Signed", "signed@example.com", smtp.getSmtp().getPort(), 1000);
        jdbi().useHandle(h -> h.execute("UPDATE mailbox_smtp SET signature_text = 'Zoë, Support' WHERE mailbox_id = ?", signed));
        sent(ann.post("/api/send", mail(signed, "bob@customer.example", "Signed mail", "Body first.")));

        assertThat(arrived("Signed mail").getContent().toString()).contains("Body first.\r\n\r\n-- \r\nZoë, Support");
        long original = jdbi().withHandle(handle -> {
            handle.execute("INSERT INTO blobs (sha256, size, content) VALUES ('orig-2', 1, 'x') ON CONFLICT DO NOTHING");
            return handle.createUpdate("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, "
                    + "size, message_id, from_name, from_email, subject, sent_at, text_body) VALUES (?, 'INBOX', 1, 'q2', "
                    + "'orig-2', 1, '<q2@customer.example>', 'Carla', 'carla@customer.example', 'Question', now(), "
                    + "'Original line one\nline two')").bind(0, signed).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        });
        Map<String, Object> reply = new HashMap<>();
        reply.put("mailbox_id", signed);
        reply.put("reply_to_message_id", original);
        reply.put("quote", true);
        reply.put("text", "Answer.");
        sent(ann.post("/api/send", reply));

        String text = arrived("Re: Question").getContent().toString().replace("\r\n", "\n");
        assertThat(text).contains("Answer.\n\n-- \nZoë, Support\n\nOn ")
                .contains("Carla <carla@customer.example> wrote:\n> Original line one\n> line two");
    }

    @Test
    void automatic_mail_is_marked_auto_submitted() throws Exception {
        Map<String, Object> body = mail(mailbox, "bob@customer.example", "Automatic", "x");
        body.put("auto_submitted", "auto-replied");
        sent(ann.post("/api/send", body));

        assertThat(arrived("Automatic").getHeader("Auto-Submitted")[0]).isEqualTo("auto-replied");
    }

    @Test
    void a_temporary_refusal_is_retried_and_a_permanent_one_fails_with_the_servers_reply() throws Exception {
        try (ScriptedSmtpServer flaky = new ScriptedSmtpServer("451 4.3.0 try again later", "250 2.0.0 queued as X1");
             ScriptedSmtpServer refusing = new ScriptedSmtpServer("550 5.7.1 relaying denied")) {
            long retried = sent(ann.post("/api/send", mail(mailbox("Flaky", "flaky@example.com", flaky.port(), 1000),
                    "bob@customer.example", "Retried", "x"))).get("id").asLong();
            long refused = sent(ann.post("/api/send", mail(mailbox("Refused", "refused@example.com", refusing.port(), 1000),
                    "bob@customer.example", "Refused", "x"))).get("id").asLong();

            await("the retry to be sent", () -> status(retried).equals("sent"));
            await("the refusal to fail", () -> status(refused).equals("failed"));
            assertThat(flaky.accepted()).hasSize(1);
            JsonNode delivery = ann.get("/api/messages/" + retried + "/delivery").json();
            assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
            assertThat(delivery.get("last_reply").asText()).contains("250");
            JsonNode failed = ann.get("/api/messages/" + refused + "/delivery").json();
            assertThat(failed.get("last_reply").asText()).contains("550").contains("relaying denied");
            assertThat(failed.get("attempts").asInt()).isEqualTo(1);
        }
    }

    @Test
    void the_rate_limit_holds_mail_over_the_mailboxs_messages_per_minute() {
        long limited = mailbox("Limited", "limited@example.com", smtp.getSmtp().getPort(), 2);
        long[] ids = new long[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = sent(ann.post("/api/send", mail(limited, "bob@customer.example", "Limited " + i, "x"))).get("id").asLong();
        }

        await("two of three to be sent", () -> Arrays.stream(ids).filter(id -> status(id).equals("sent")).count() == 2);
        long held = Arrays.stream(ids).filter(id -> status(id).equals("queued")).findFirst().orElseThrow();
        JsonNode delivery = ann.get("/api/messages/" + held + "/delivery").json();
        assertThat(delivery.get("attempts").asInt()).isZero();
        assertThat(Instant.parse(delivery.get("next_attempt_at").asText())).isAfter(Instant.now());
    }

    @Test
    void plugins_send_through_the_same_outbox_once_per_idempotency_key() throws Exception {
        var outbound = mailroom.mailroom().core().outbound().mail();
        var mail = new io.mailroom.api.outbound.OutgoingMail(mailbox, List.of("bob@customer.example"), null, null,
                "From a rule", "Automatic answer", null, null, false, "auto-generated", "rule-7:message-99:action-0");

        long first = outbound.send(mail);
        long second = outbound.send(mail);

        assertThat(second).isEqualTo(first);
        assertThat(arrived("From a rule").getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
        await("status sent", () -> status(first).equals("sent"));
        assertThat(arrivedWithSubject("From a rule")).hasSize(1);
        var injected = new io.mailroom.api.outbound.OutgoingMail(mailbox, List.of("bob@customer.example"), null, null,
                "x\r\nBcc: victim@elsewhere.example", "x", null, null, false, null, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> outbound.send(injected))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("subject");
    }

    @Test
    void a_delivery_status_notification_turns_the_sent_message_bounced_and_flags_the_contact() {
        long contact = admin.post("/api/contacts", Map.of("email", "Nobody@Customer.example", "name", "Nobody"))
                .json().get("id").asLong();
        assertThat(admin.get("/api/contacts/" + contact).json().hasNonNull("bounced_at")).isFalse();
        JsonNode queued = sent(ann.post("/api/send", mail(mailbox, "nobody@customer.example", "Will bounce", "x")));
        long id = queued.get("id").asLong();
        await("status sent", () -> status(id).equals("sent"));
        Bounces.store(jdbi(), mailbox, "dsn-1", "support@example.com", queued.get("message_id").asText());

        await("status bounced", () -> status(id).equals("bounced"));
        JsonNode delivery = ann.get("/api/messages/" + id + "/delivery").json();
        assertThat(delivery.get("bounce_recipient").asText()).isEqualTo("nobody@customer.example");
        assertThat(delivery.get("bounce_status").asText()).isEqualTo("5.1.1");
        assertThat(delivery.get("bounce_diagnostic").asText()).contains("550 5.1.1").contains("User unknown");
        assertThat(admin.get("/api/contacts/" + contact).json().hasNonNull("bounced_at")).isTrue();
    }
}
