package io.mailroom.host.rules.actions;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.PermanentException;
import io.mailroom.api.Settings;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.host.ApiClient;
import io.mailroom.host.MailroomCore;
import io.mailroom.host.TestMailroom;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.mailroom.host.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code auto_reply} and {@code forward} called as the processing chain calls them, on a stored
 * message, with the host's plugin context and its real outbox, read back as GreenMail's SMTP
 * server received them.
 */
class MailActionsTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static MailroomCore core;
    static Jdbi jdbi;
    static GreenMail smtp;
    static ExtensionContext context;
    static long annId;
    static long mailbox;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        mailroom = TestMailroom.start(dir, Map.of("mailroom.outbox.poll.ms", "100"));
        core = mailroom.mailroom().core();
        jdbi = core.database().jdbi();
        ApiClient admin = mailroom.admin();
        annId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann@example.com")).json().get("id").asLong();
        mailbox = jdbi.withHandle(handle -> {
            long id = handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) "
                            + "VALUES (?, 'Support', 'support@example.com', 'imap')")
                    .bind(0, annId).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, rate_per_minute) "
                    + "VALUES (?, '127.0.0.1', ?, 'none', 1000)", id, smtp.getSmtp().getPort());
            return id;
        });
        context = core.pluginContexts().forPlugin("mailroom");
    }

    @AfterAll
    static void stop() {
        mailroom.close();
        smtp.stop();
    }

    static RuleAction action(String id) {
        return core.builtInActions().all().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    static Outcome run(String action, MessageView message, Map<String, String> data, int index) {
        String key = "rule:7:" + index + ":message:" + message.id();
        return action(action).run(new ActionCall(message, Settings.of(data), 7, index, key), context);
    }

    static long template(long owner, String subject, String text) {
        return jdbi.withHandle(handle -> handle.createUpdate("INSERT INTO templates (user_id, name, subject, text_body) "
                + "VALUES (?, 'ack', ?, ?)").bind(0, owner).bind(1, subject).bind(2, text)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    static List<MimeMessage> arrivedFor(String recipient) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().contains(recipient));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    /** Waits until the outbox has sent the message, so that nothing more is on its way. */
    static void sent(long outboundId) {
        await("message " + outboundId + " to be sent", () -> "sent".equals(jdbi.withHandle(handle -> handle
                .createQuery("SELECT status FROM messages WHERE id = ?").bind(0, outboundId).mapTo(String.class).one())));
    }

    static MessageView stored(String key, String from) {
        MessageView view = StoredMail.store(jdbi, core.parser(), mailbox, key);
        jdbi.useHandle(handle -> handle.execute("UPDATE messages SET from_email = ? WHERE id = ?", from, view.id()));
        return view;
    }

    @Test
    void auto_reply_answers_the_sender_with_the_rendered_template_as_an_auto_reply_once_per_key() throws Exception {
        MessageView message = stored("reply-1", "carla@customer.example");
        long template = template(annId, "", "Hello {{from_name}}, we got \"{{subject}}\" of {{date}}.");

        Outcome first = run("auto_reply", message, Map.of("template_id", Long.toString(template)), 0);
        Outcome again = run("auto_reply", message, Map.of("template_id", Long.toString(template)), 0);

        assertThat(first.status()).isEqualTo(Outcome.Status.DONE);
        long outbound = ((Number) first.data().get("outbound_message_id")).longValue();
        assertThat(again.data().get("outbound_message_id")).as("the same key: the same message").isEqualTo(first.data()
                .get("outbound_message_id"));
        sent(outbound);
        List<MimeMessage> arrived = arrivedFor("carla@customer.example");
        assertThat(arrived).as("two calls with one key send once").hasSize(1);
        MimeMessage reply = arrived.getFirst();
        assertThat(reply.getSubject()).isEqualTo("Re: Printer on fire");
        assertThat(reply.getHeader("In-Reply-To")).containsExactly("<fire-reply-1@customer.example>");
        assertThat(reply.getHeader("Auto-Submitted")).containsExactly("auto-replied");
        assertThat(reply.getRecipients(MimeMessage.RecipientType.CC)).as("not reply_all").isNull();
        assertThat(reply.getContent().toString())
                .contains("Hello Carla Client, we got \"Printer on fire\" of Mon, 30 Nov 2026 09:30 UTC.");
    }

    @Test
    void auto_reply_with_reply_all_answers_everyone_on_the_message() throws Exception {
        MessageView message = stored("reply-2", "erin@customer.example");
        long template = template(annId, "Received: {{subject}}", "Thanks.");

        Outcome outcome = run("auto_reply", message, Map.of("template_id", Long.toString(template), "reply_all", "true"), 0);

        sent(((Number) outcome.data().get("outbound_message_id")).longValue());
        MimeMessage reply = arrivedFor("erin@customer.example").getFirst();
        assertThat(reply.getSubject()).isEqualTo("Re: Received: Printer on fire");
        assertThat(Arrays.toString(reply.getRecipients(MimeMessage.RecipientType.CC))).contains("dan@customer.example");
    }

    @Test
    void auto_reply_refuses_a_template_of_another_user() {
        long bob = jdbi.withHandle(handle -> handle.createUpdate("INSERT INTO users (name, email, role) "
                + "VALUES ('Bob', 'bob@example.com', 'user')").executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        MessageView message = stored("reply-3", "fred@customer.example");
        long template = template(bob, "Bob's", "Bob's private text");

        assertThatThrownBy(() -> run("auto_reply", message, Map.of("template_id", Long.toString(template)), 0))
                .isInstanceOf(PermanentException.class).hasMessageContaining("does not belong");
        assertThat(arrivedFor("fred@customer.example")).isEmpty();
    }

    @Test
    void forward_inline_quotes_the_message_below_a_forwarded_block_with_its_attachments_once_per_key() throws Exception {
        MessageView message = stored("fwd-1", "carla@customer.example");
        Map<String, String> data = Map.of("to", "Gina <gina@partner.example>", "mode", "inline", "attachments", "true");

        Outcome first = run("forward", message, data, 1);
        Outcome again = run("forward", message, data, 1);

        long outbound = ((Number) first.data().get("outbound_message_id")).longValue();
        assertThat(again.data().get("outbound_message_id")).isEqualTo(first.data().get("outbound_message_id"));
        sent(outbound);
        List<MimeMessage> arrived = arrivedFor("gina@partner.example");
        assertThat(arrived).hasSize(1);
        MimeMessage forward = arrived.getFirst();
        assertThat(forward.getSubject()).isEqualTo("Fwd: Printer on fire");
        assertThat(forward.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        assertThat(forward.getHeader("In-Reply-To")).as("a new conversation for the recipient").isNull();
        List<Part> parts = leaves(forward);
        String text = parts.stream().filter(p -> is(p, "text/plain")).map(MailActionsTest::content).findFirst().orElseThrow();
        assertThat(text.replace("\r\n", "\n")).contains("---------- Forwarded message ----------\n"
                + "From: Carla Client <carla@customer.example>\n").contains("Subject: Printer on fire\n")
                .contains("The printer is on fire.");
        assertThat(parts.stream().filter(p -> is(p, "text/html")).map(MailActionsTest::content).findFirst().orElseThrow())
                .contains("<b>on fire</b>").contains("Forwarded message");
        Part pdf = parts.stream().filter(p -> is(p, "application/pdf")).findFirst().orElseThrow();
        assertThat(pdf.getFileName()).isEqualTo("photo.pdf");
        assertThat(bytes(pdf)).isEqualTo(StoredMail.PDF);
    }

    @Test
    void forward_inline_without_attachments_leaves_them_out() throws Exception {
        MessageView message = stored("fwd-2", "carla@customer.example");

        Outcome outcome = run("forward", message, Map.of("to", "hank@partner.example", "attachments", "false"), 0);

        sent(((Number) outcome.data().get("outbound_message_id")).longValue());
        List<Part> parts = leaves(arrivedFor("hank@partner.example").getFirst());
        assertThat(parts).noneMatch(p -> is(p, "application/pdf"));
        assertThat(parts).anyMatch(p -> is(p, "text/plain"));
    }

    @Test
    void forward_as_attachment_carries_the_original_bytes_as_a_message_rfc822_part() throws Exception {
        MessageView message = stored("fwd-3", "carla@customer.example");

        Outcome outcome = run("forward", message, Map.of("to", "ivy@partner.example\njoe@partner.example",
                "mode", "attachment"), 0);

        sent(((Number) outcome.data().get("outbound_message_id")).longValue());
        MimeMessage forward = arrivedFor("ivy@partner.example").getFirst();
        assertThat(Arrays.toString(forward.getRecipients(MimeMessage.RecipientType.TO))).contains("joe@partner.example");
        assertThat(forward.getHeader("Auto-Submitted")).containsExactly("auto-generated");
        Multipart mixed = (Multipart) forward.getContent();
        BodyPart attached = mixed.getBodyPart(1);
        assertThat(attached.getContentType()).startsWith("message/rfc822");
        assertThat(attached.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attached.getFileName()).isEqualTo("Printer on fire.eml");
        assertThat(attached.getHeader("Content-Transfer-Encoding")).containsExactly("7bit");
        assertThat(new String(bytes(attached), StandardCharsets.US_ASCII)).as("the original, byte for byte")
                .isEqualTo(new String(StoredMail.raw("fwd-3"), StandardCharsets.US_ASCII));
        assertThat(((MimeMessage) attached.getContent()).getMessageID()).isEqualTo("<fire-fwd-3@customer.example>");
    }

    @Test
    void the_servers_webhook_worker_posts_what_the_webhook_action_queued() throws Exception {
        List<String> signatures = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            signatures.add(exchange.getRequestHeaders().getFirst("X-Mailroom-Signature"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            MessageView message = stored("hook-1", "kim@customer.example");
            Settings data = Settings.of(Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    "secret", "s3cret-for-the-server"), java.util.Set.of("secret"));
            action("webhook").checkData(data); // the test configuration allows private hosts, as an operator can

            Outcome outcome = action("webhook").run(new ActionCall(message, data, 7, 3, "rule:7:3:message:" + message.id()),
                    context);

            assertThat(outcome.detail()).isEqualTo("queued");
            await("the webhook to arrive", () -> !signatures.isEmpty());
            assertThat(signatures.getFirst()).startsWith("t=").contains(",v1=");
            await("the delivery to be recorded", () -> "delivered".equals(jdbi.withHandle(h -> h.createQuery(
                    "SELECT status FROM webhook_deliveries WHERE message_id = ?").bind(0, message.id())
                    .mapTo(String.class).one())));
        } finally {
            receiver.stop(0);
        }
    }

    private static boolean is(Part part, String type) {
        try {
            return part.isMimeType(type);
        } catch (Exception e) {
            return false;
        }
    }

    private static String content(Part part) {
        try {
            return part.getContent().toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Part part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    /** The parts that are not multipart, depth first. */
    private static List<Part> leaves(Part part) throws Exception {
        List<Part> out = new ArrayList<>();
        if (part.isMimeType("multipart/*")) {
            Multipart multi = (Multipart) part.getContent();
            for (int i = 0; i < multi.getCount(); i++) {
                out.addAll(leaves(multi.getBodyPart(i)));
            }
        } else {
            out.add(part);
        }
        return out;
    }
}
