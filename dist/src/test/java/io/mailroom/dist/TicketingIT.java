package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code ticketing} plugin through the real host, end to end: customers' mail put
 * into GreenMail's IMAP store, synced by the packaged imap plugin into a mailbox whose sink is
 * {@code ticketing}; what the plugin sends (acknowledgements, the answer to a reply to a closed
 * ticket, an agent's reply) goes through the outbox to GreenMail's SMTP, where the test reads it.
 * The tests run in order on one installation, each on mail of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TicketingIT {

    private static final String SUPPORT = "support@example.com";

    @TempDir
    static Path dir;
    static GreenMail greenMail;
    static GreenMailUser supportUser;
    static TestMailroom mailroom;
    static Jdbi jdbi;
    static ApiClient admin;
    static ApiClient agent;
    static ApiClient stranger;
    static long agentId;
    static long mailboxId;
    static long acme;
    static long globex;
    static long annContact;

    @BeforeAll
    static void start() {
        greenMail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        greenMail.start();
        supportUser = greenMail.setUser(SUPPORT, "support", "pw-support");
        try {
            greenMail.getManagers().getImapHostManager().createMailbox(supportUser, "Processed");
            greenMail.getManagers().getImapHostManager().createMailbox(supportUser, "Copies");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic", "ticketing");
        mailroom = TestMailroom.start(dir, Map.of("mailroom.outbox.poll.ms", "100"));
        jdbi = mailroom.mailroom().core().database().jdbi();
        admin = mailroom.admin();
        agentId = admin.post("/api/users", Map.of("name", "Agent", "email", "agent@example.com")).json().get("id").asLong();
        agent = mailroom.client(admin.post("/api/tokens", Map.of("user_id", agentId, "name", "agent")).json()
                .get("token").asText());
        long strangerId = admin.post("/api/users", Map.of("name", "Other", "email", "other@example.com")).json().get("id").asLong();
        stranger = mailroom.client(admin.post("/api/tokens", Map.of("user_id", strangerId, "name", "other")).json()
                .get("token").asText());

        acme = created(admin.post("/api/companies", Map.of("name", "Acme", "domains", List.of("acme.example"))));
        globex = created(admin.post("/api/companies", Map.of("name", "Globex", "domains", List.of("globex.example"))));
        annContact = created(admin.post("/api/contacts", Map.of("email", "ann@acme.example", "name", "Ann", "company_id", acme)));

        Map<String, Object> body = new HashMap<>(Map.of("name", "Support", "email", SUPPORT, "source", "imap",
                "owner_user_id", agentId, "folders", List.of("INBOX", "Copies"), "move_processed_to", "Processed",
                "sink", "ticketing", "sink_settings", Map.of("ref_prefix", "TCK", "acknowledge", true)));
        body.put("settings", Map.of("host", "127.0.0.1", "port", greenMail.getImap().getPort(), "security", "none",
                "username", "support", "password", "pw-support"));
        body.put("smtp", Map.of("host", "127.0.0.1", "port", greenMail.getSmtp().getPort(), "security", "none"));
        mailboxId = created(admin.post("/api/mailboxes", body));
    }

    @AfterAll
    static void stop() {
        try {
            if (mailroom != null) {
                mailroom.close();
            }
        } finally {
            greenMail.stop();
        }
    }

    @Test
    @Order(1)
    void a_contact_writes_a_ticket_is_opened_under_their_company_acknowledged_and_the_mail_moved_to_processed() throws Exception {
        long uid = append("INBOX", mail("<printer@acme.example>", "Ann <ann@acme.example>", "Printer down", Map.of()));

        sync();

        JsonNode ticket = ticket("Printer down");
        assertThat(ticket.get("ref").asText()).startsWith("TCK-");
        assertThat(ticket.get("status").asText()).isEqualTo("open");
        assertThat(ticket.get("contact_id").asLong()).isEqualTo(annContact);
        assertThat(ticket.get("company_id").asLong()).isEqualTo(acme);
        assertThat(ticket.get("mailbox_id").asLong()).isEqualTo(mailboxId);
        String ref = ticket.get("ref").asText();

        MimeMessage ack = awaitMail("ann@acme.example", 1).getFirst();
        assertThat(ack.getSubject()).contains("[" + ref + "]");
        assertThat(ack.getHeader("In-Reply-To", null)).isEqualTo("<printer@acme.example>");
        assertThat(ack.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");

        assertThat(uids("INBOX")).as("moved away").doesNotContain(uid);
        assertThat(subjects("Processed")).contains("Printer down");
    }

    @Test
    @Order(2)
    void an_unknown_address_of_a_companys_domain_becomes_its_contact() throws Exception {
        append("INBOX", mail("<vpn@acme.example>", "Dave <dave@acme.example>", "VPN broken", Map.of()));

        sync();

        JsonNode ticket = ticket("VPN broken");
        assertThat(ticket.get("company_id").asLong()).isEqualTo(acme);
        JsonNode dave = contact("dave@acme.example");
        assertThat(dave).as("created by the plugin").isNotNull();
        assertThat(dave.get("company_id").asLong()).isEqualTo(acme);
        assertThat(ticket.get("contact_id").asLong()).isEqualTo(dave.get("id").asLong());
        awaitMail("dave@acme.example", 1);
    }

    @Test
    @Order(3)
    void a_reply_naming_the_ticket_in_its_subject_is_added_to_it() throws Exception {
        String ref = ticket("Printer down").get("ref").asText();
        int before = messagesOf(ref).size();

        append("INBOX", mail("<printer-2@acme.example>", "Ann <ann@acme.example>", "Re: [" + ref + "] Printer down", Map.of()));
        sync();

        assertThat(messagesOf(ref)).hasSize(before + 1);
        assertThat(tickets(agent, "").findValuesAsText("subject")).doesNotContain("Re: [" + ref + "] Printer down");
    }

    @Test
    @Order(4)
    void a_reply_found_by_in_reply_to_alone_is_added_to_the_ticket() throws Exception {
        String ref = ticket("Printer down").get("ref").asText();
        int before = messagesOf(ref).size();

        append("INBOX", mail("<printer-3@acme.example>", "Ann <ann@acme.example>", "One more thing",
                Map.of("In-Reply-To", "<printer@acme.example>")));
        sync();

        assertThat(messagesOf(ref)).hasSize(before + 1);
        assertThat(tickets(agent, "").findValuesAsText("subject")).doesNotContain("One more thing");
    }

    @Test
    @Order(5)
    void a_reply_to_the_acknowledgement_threads_back_without_a_second_acknowledgement() throws Exception {
        String ref = ticket("Printer down").get("ref").asText();
        int before = messagesOf(ref).size();
        MimeMessage ack = awaitMail("ann@acme.example", 1).getFirst();

        append("INBOX", mail("<printer-4@acme.example>", "Ann <ann@acme.example>", "Re: " + ack.getSubject(),
                Map.of("In-Reply-To", ack.getMessageID(), "References", "<printer@acme.example> " + ack.getMessageID())));
        sync();
        awaitOutboxEmpty();

        assertThat(messagesOf(ref)).hasSize(before + 1);
        assertThat(mailTo("ann@acme.example")).as("no answer to the answer").hasSize(1);
    }

    @Test
    @Order(6)
    void a_reply_to_a_closed_ticket_is_answered_and_the_owner_notified_and_the_ticket_stays_closed() throws Exception {
        String ref = ticket("Printer down").get("ref").asText();
        Reply closed = agent.post("/api/tickets/" + ref + "/close", null);
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);

        append("INBOX", mail("<printer-5@acme.example>", "Ann <ann@acme.example>", "Re: [" + ref + "] still broken", Map.of()));
        sync();

        assertThat(agent.get("/api/tickets/" + ref).json().get("status").asText()).isEqualTo("closed");
        List<MimeMessage> toAnn = awaitMail("ann@acme.example", 2);
        assertThat(toAnn.get(1).getSubject()).contains("[" + ref + "]");
        assertThat(toAnn.get(1).getHeader("In-Reply-To", null)).isEqualTo("<printer-5@acme.example>");
        String notifications = agent.get("/api/notifications").body();
        assertThat(notifications).contains("ticket_reply_to_closed", ref);
    }

    @Test
    @Order(7)
    void an_unknown_sender_is_left_flagged_for_review_and_a_ticket_made_from_there() throws Exception {
        long uid = append("INBOX", mail("<hello@nowhere.example>", "Eve <eve@nowhere.example>", "Who are you", Map.of()));

        sync();

        assertThat(tickets(agent, "").findValuesAsText("subject")).doesNotContain("Who are you");
        assertThat(uids("INBOX")).as("left in the inbox").contains(uid);
        assertThat(flags("INBOX", uid).contains(Flags.Flag.FLAGGED)).isTrue();
        JsonNode review = agent.get("/api/tickets/review").json();
        JsonNode item = null;
        for (JsonNode candidate : items(review)) {
            if (candidate.path("subject").asText().equals("Who are you")) {
                item = candidate;
            }
        }
        assertThat(item).as(review.toString()).isNotNull();
        assertThat(stranger.get("/api/tickets/review").body()).doesNotContain("Who are you");

        Reply create = agent.post("/api/tickets/review/" + item.get("message_id").asLong(), Map.of("action", "create"));
        assertThat(create.status()).as(create.body()).isEqualTo(201);
        assertThat(create.json().get("requester_email").asText()).isEqualTo("eve@nowhere.example");
        assertThat(create.json().get("contact_id").isNull()).isTrue();
        assertThat(ticket("Who are you").get("ref").asText()).isEqualTo(create.json().get("ref").asText());
        Reply again = agent.post("/api/tickets/review/" + item.get("message_id").asLong(), Map.of("action", "dismiss"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).isEqualTo("review_already_decided");
    }

    @Test
    @Order(8)
    void with_no_domain_matching_the_mailboxs_company_is_the_fallback() throws Exception {
        Reply changed = admin.put("/api/mailboxes/" + mailboxId, Map.of("company_id", globex));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("company_id").asLong()).isEqualTo(globex);

        append("INBOX", mail("<invoice@freelance.example>", "Fred <fred@freelance.example>", "Invoice question", Map.of()));
        sync();

        JsonNode ticket = ticket("Invoice question");
        assertThat(ticket.get("company_id").asLong()).isEqualTo(globex);
        assertThat(ticket.get("contact_id").isNull()).isTrue();
        assertThat(ticket.get("requester_email").asText()).isEqualTo("fred@freelance.example");
    }

    @Test
    @Order(9)
    void the_same_mail_in_two_folders_makes_one_ticket_and_one_acknowledgement_and_a_reprocess_none() throws Exception {
        byte[] twice = mail("<toner@acme.example>", "Gina <gina@acme.example>", "Toner empty", Map.of());
        long inInbox = append("INBOX", twice);
        long inCopies = append("Copies", twice);

        sync();
        awaitMail("gina@acme.example", 1);
        awaitOutboxEmpty();

        assertThat(tickets(agent, "").findValuesAsText("subject").stream().filter("Toner empty"::equals)).hasSize(1);
        assertThat(mailTo("gina@acme.example")).as("one acknowledgement").hasSize(1);
        assertThat(uids("INBOX")).doesNotContain(inInbox);
        assertThat(uids("Copies")).doesNotContain(inCopies);
        assertThat(subjects("Processed").stream().filter("Toner empty"::equals)).as("both copies moved").hasSize(2);

        long stored = admin.get("/api/messages?mailbox_id=" + mailboxId).json().get("items").findValues("subject").stream()
                .filter(s -> s.asText().equals("Toner empty")).count();
        assertThat(stored).isEqualTo(2);
        long firstId = messageIdOf("Toner empty");
        Reply reprocessed = admin.post("/api/messages/" + firstId + "/reprocess?repeat_actions=true", null);
        assertThat(reprocessed.status()).as(reprocessed.body()).isEqualTo(200);
        awaitOutboxEmpty();
        assertThat(tickets(agent, "").findValuesAsText("subject").stream().filter("Toner empty"::equals)).hasSize(1);
        assertThat(mailTo("gina@acme.example")).as("still one acknowledgement").hasSize(1);
    }

    @Test
    @Order(10)
    void an_agents_reply_goes_out_with_the_reference_and_threading_headers_and_is_filed() throws Exception {
        String ref = ticket("VPN broken").get("ref").asText();
        int before = messagesOf(ref).size();

        Reply reply = agent.post("/api/tickets/" + ref + "/reply", Map.of("text", "Restart the client, please.",
                "idempotency_key", "vpn-1"));

        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        assertThat(reply.json().get("ticket_ref").asText()).isEqualTo(ref);
        MimeMessage sent = awaitMail("dave@acme.example", 2).get(1);
        assertThat(sent.getSubject()).contains("[" + ref + "]");
        assertThat(sent.getHeader("In-Reply-To", null)).isEqualTo("<vpn@acme.example>");
        assertThat(sent.getHeader("References", null)).contains("<vpn@acme.example>");
        assertThat(messagesOf(ref)).hasSize(before + 1);
        assertThat(messagesOf(ref).findValuesAsText("direction")).contains("outbound");
    }

    @Test
    @Order(11)
    void a_user_cannot_read_or_change_another_users_tickets() {
        String ref = ticket("Printer down").get("ref").asText();

        assertThat(stranger.get("/api/tickets/" + ref).status()).isEqualTo(404);
        assertThat(stranger.post("/api/tickets/" + ref + "/reopen", null).status()).isEqualTo(404);
        assertThat(stranger.post("/api/tickets/" + ref + "/reply", Map.of("text", "hi")).status()).isEqualTo(404);
        assertThat(tickets(stranger, "").size()).isZero();
        assertThat(agent.get("/api/tickets/" + ref).status()).isEqualTo(200);
        assertThat(agent.get("/api/tickets/" + ref).json().get("status").asText()).as("the stranger reopened nothing")
                .isEqualTo("closed");
    }

    @Test
    @Order(12)
    void with_the_plugin_disabled_its_routes_answer_404_and_the_mailbox_says_why_and_mail_stays() throws Exception {
        Reply disabled = admin.put("/api/plugins/ticketing", Map.of("enabled", false));
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);

        assertThat(agent.get("/api/tickets").status()).isEqualTo(404);
        assertThat(agent.get("/api/tickets/review").status()).isEqualTo(404);
        JsonNode mailbox = admin.get("/api/mailboxes/" + mailboxId).json();
        assertThat(mailbox.get("sink_error").asText()).contains("ticketing", "not started");
        long uid = append("INBOX", mail("<late@acme.example>", "Ann <ann@acme.example>", "While it was off", Map.of()));
        sync();
        assertThat(uids("INBOX")).as("not taken by a sink: stays").contains(uid);
        assertThat(admin.get("/api/messages/" + messageIdOf("While it was off")).json().get("processing").toString())
                .contains("\"step\":\"sink\"", "\"status\":\"failed\"", "not available");

        Reply enabled = admin.put("/api/plugins/ticketing", Map.of("enabled", true));
        assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
        assertThat(agent.get("/api/tickets").status()).isEqualTo(200);
        assertThat(admin.get("/api/mailboxes/" + mailboxId).json().get("sink_error").isNull()).isTrue();
    }

    // --- helpers

    private static long created(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asLong();
    }

    private static byte[] mail(String messageId, String from, String subject, Map<String, String> headers) {
        StringBuilder mail = new StringBuilder("Message-ID: " + messageId + "\r\nFrom: " + from + "\r\nTo: " + SUPPORT
                + "\r\nSubject: " + subject + "\r\nDate: Mon, 30 Nov 2026 00:10:00 +0000\r\n");
        headers.forEach((name, value) -> mail.append(name).append(": ").append(value).append("\r\n"));
        mail.append("Content-Type: text/plain; charset=utf-8\r\n\r\nHello from ").append(from).append("\r\n");
        return mail.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static MailFolder folder(String name) throws Exception {
        return greenMail.getManagers().getImapHostManager().getFolder(supportUser, name);
    }

    /** Puts the mail into the support mailbox's folder on the server; returns its uid. */
    private static long append(String folder, byte[] raw) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        return folder(folder).appendMessage(message, new Flags(), new Date());
    }

    private static List<Long> uids(String folder) throws Exception {
        return folder(folder).getMessages().stream().map(StoredMessage::getUid).toList();
    }

    private static List<String> subjects(String folder) throws Exception {
        List<String> subjects = new ArrayList<>();
        for (StoredMessage stored : folder(folder).getMessages()) {
            subjects.add(stored.getMimeMessage().getSubject());
        }
        return subjects;
    }

    private static Flags flags(String folder, long uid) throws Exception {
        return folder(folder).getMessage(uid).getFlags();
    }

    private static void sync() {
        Reply sync = admin.post("/api/mailboxes/" + mailboxId + "/sync?wait=true", null);
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);
    }

    private static Iterable<JsonNode> items(JsonNode page) {
        return page.isArray() ? page : page.get("items");
    }

    private static JsonNode tickets(ApiClient client, String query) {
        Reply list = client.get("/api/tickets?limit=100" + query);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        return list.json().get("items");
    }

    /** The agent's one ticket with this subject. */
    private static JsonNode ticket(String subject) {
        JsonNode found = null;
        for (JsonNode ticket : tickets(agent, "")) {
            if (ticket.get("subject").asText().equals(subject)) {
                assertThat(found).as("one ticket named " + subject).isNull();
                found = ticket;
            }
        }
        assertThat(found).as("a ticket named " + subject).isNotNull();
        return found;
    }

    private static JsonNode messagesOf(String ref) {
        Reply ticket = agent.get("/api/tickets/" + ref);
        assertThat(ticket.status()).as(ticket.body()).isEqualTo(200);
        return ticket.json().get("messages");
    }

    private static JsonNode contact(String email) {
        for (JsonNode contact : items(admin.get("/api/contacts?limit=100").json())) {
            if (contact.get("email").asText().equalsIgnoreCase(email)) {
                return contact;
            }
        }
        return null;
    }

    private static long messageIdOf(String subject) {
        for (JsonNode message : admin.get("/api/messages?mailbox_id=" + mailboxId).json().get("items")) {
            if (message.get("subject").asText().equals(subject)) {
                return message.get("id").asLong();
            }
        }
        throw new AssertionError("no stored message " + subject);
    }

    /** What GreenMail's SMTP delivered to this address, oldest first. */
    private static List<MimeMessage> mailTo(String address) throws Exception {
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(address);
        if (user == null) {
            return List.of();
        }
        List<MimeMessage> mail = new ArrayList<>();
        for (StoredMessage stored : greenMail.getManagers().getImapHostManager().getInbox(user).getMessages()) {
            mail.add(stored.getMimeMessage());
        }
        return mail;
    }

    private static List<MimeMessage> awaitMail(String address, int count) throws Exception {
        await("mail " + count + " to " + address, () -> {
            try {
                return mailTo(address).size() >= count;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return mailTo(address);
    }

    private static void awaitOutboxEmpty() {
        await("the outbox to send what it holds", () -> jdbi.withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')").mapTo(Long.class).one()) == 0);
    }

    private static void await(String what, BooleanSupplier done) {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(until);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
