package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/mailroom serve --demo} of the packaged installation, as a newcomer runs it: it
 * starts, seeds, syncs and prints where to go; what it printed works; the seeded mail, the
 * directory and the template are there through the API; a reply sent from the demo mailbox
 * reaches the customer's inbox on the demo mail server and the next sync finds it in Sent; and
 * the installation's own data directory and configured database are never touched.
 */
class DemoIT {

    private static final Path DIST = Path.of(System.getProperty("mailroom.dist", "target/mailroom"));
    /** Generous: the first start unpacks PostgreSQL; a busy machine is slow. Not a timing claim. */
    private static final Duration READY = Duration.ofMinutes(4);
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String REAL_TOKEN = "mr_the_real_installations_admin_token";

    @TempDir
    static Path work;
    static Path realData;
    static Process demo;
    static Path out;
    static Path err;
    static String printed;
    static String token;
    static int httpPort;
    static int imapPort;
    static ApiClient api;
    static long mailbox;

    @BeforeAll
    static void start() throws Exception {
        realData = work.resolve("data");
        Files.createDirectories(realData);
        Files.writeString(realData.resolve("keep.txt"), "the real installation's data");
        httpPort = freePort();
        out = work.resolve("demo.log");
        err = work.resolve("demo.err.log");

        ProcessBuilder builder = new ProcessBuilder(DIST.resolve("bin/mailroom").toString(), "serve", "--demo");
        builder.environment().keySet().removeIf(name -> name.startsWith("MAILROOM_"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Map<String, String> env = new HashMap<>();
        env.put("MAILROOM_DATA_DIR", realData.toString());
        env.put("MAILROOM_HTTP_PORT", Integer.toString(httpPort));
        // a configured database the demo must leave alone (nothing listens there: using it would fail the start)
        env.put("MAILROOM_DB_URL", "jdbc:postgresql://127.0.0.1:1/production");
        env.put("MAILROOM_ADMIN_TOKEN", REAL_TOKEN);
        builder.environment().putAll(env);
        builder.directory(work.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        demo = builder.start();

        printed = awaitWelcome();
        Matcher url = Pattern.compile("http://localhost:(\\d+)/admin/#token=(mr_[A-Za-z0-9_-]+)").matcher(printed);
        assertThat(url.find()).as(printed).isTrue();
        assertThat(Integer.parseInt(url.group(1))).isEqualTo(httpPort);
        token = url.group(2);
        Matcher imap = Pattern.compile("IMAP 127\\.0\\.0\\.1:(\\d+)").matcher(printed);
        assertThat(imap.find()).as(printed).isTrue();
        imapPort = Integer.parseInt(imap.group(1));
        api = new ApiClient("http://127.0.0.1:" + httpPort, token);
        mailbox = single(api.get("/api/mailboxes").json().path("items")).path("id").asLong();
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo == null) {
            return;
        }
        demo.destroy();
        if (!demo.waitFor(60, TimeUnit.SECONDS)) {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly().waitFor();
            throw new AssertionError("the demo did not stop within 60 s of SIGTERM\n" + logs());
        }
    }

    /** The welcome is printed once, after the first sync: wait for its last line. */
    private static String awaitWelcome() throws Exception {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(out) ? Files.readString(out) : "";
            if (text.contains("Stop with Ctrl-C.")) {
                return text;
            }
            if (!demo.isAlive()) {
                throw new AssertionError("serve --demo exited with " + demo.exitValue() + "\n" + logs());
            }
            Thread.sleep(250);
        }
        throw new AssertionError("serve --demo printed no welcome within " + READY + "\n" + logs());
    }

    private static String logs() throws IOException {
        return "--- stdout\n" + (Files.exists(out) ? Files.readString(out) : "")
                + "--- stderr\n" + (Files.exists(err) ? Files.readString(err) : "");
    }

    @Test
    void the_printed_url_carries_a_working_superadmin_token_in_its_fragment_only() {
        ApiClient.Reply me = api.get("/api/me");

        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().path("role").asText()).isEqualTo("superadmin");
        assertThat(printed).contains("/admin/#token=" + token).doesNotContain("?token=");
        assertThat(printed.lines().filter(line -> line.contains("/admin/#token="))).hasSize(1);
    }

    @Test
    void the_first_sync_stored_the_seed_and_quarantined_the_malformed_message() {
        assertThat(printed).contains("First sync:   9 messages stored, 1 quarantined (status ok)");
        JsonNode inbound = api.get("/api/messages?mailbox_id=" + mailbox + "&direction=inbound&limit=100").json();
        assertThat(inbound.path("total").asInt()).as(inbound.toString()).isEqualTo(9);

        JsonNode quarantined = api.get("/api/quarantine?mailbox_id=" + mailbox).json();
        assertThat(quarantined.path("total").asInt()).isEqualTo(1);
        assertThat(single(quarantined.path("items")).path("reason").asText()).contains("no header section");
    }

    @Test
    void the_customer_thread_holds_its_messages_oldest_first() {
        JsonNode thread = items(api.get("/api/threads?mailbox_id=" + mailbox).json()).stream()
                .filter(t -> t.path("subject").asText().equals("Order #4711 arrived damaged")).findFirst().orElseThrow();

        assertThat(thread.path("message_count").asInt()).isGreaterThanOrEqualTo(5);
        List<JsonNode> messages = items(api.get("/api/threads/" + thread.path("id").asLong() + "/messages").json());
        assertThat(messages).extracting(m -> m.path("from").path("email").asText()).startsWith(
                "ann@acme.example", "support@northwind.example", "bob@acme.example", "ann@acme.example");
        assertThat(messages).extracting(m -> m.path("subject").asText())
                .contains("Re: [TCK-1] Order #4711 arrived damaged");
    }

    @Test
    void the_seed_shows_each_kind_of_mail() {
        List<JsonNode> inbound = items(api.get("/api/messages?mailbox_id=" + mailbox + "&direction=inbound&limit=100").json());

        assertThat(bySubject(inbound, "Out of office: Delivery schedule for December").path("classification").asText())
                .isEqualTo("auto_reply");
        assertThat(bySubject(inbound, "Parcel Post Weekly: holiday shipping deadlines").path("classification").asText())
                .isEqualTo("bulk");
        JsonNode invoice = bySubject(inbound, "Invoice INV-2026-118");
        assertThat(single(invoice.path("attachments")).path("filename").asText()).isEqualTo("INV-2026-118.pdf");
        JsonNode german = bySubject(inbound, "Größenänderung für Bestellung #4712 – bitte dringend");
        assertThat(german.path("from").path("name").asText()).isEqualTo("Zoë Çelik");
    }

    @Test
    void the_company_its_contacts_and_a_template_are_set_up() {
        JsonNode company = single(api.get("/api/companies").json().path("items"));
        assertThat(company.path("name").asText()).isEqualTo("Acme Ltd");
        assertThat(company.path("domains").toString()).isEqualTo("[\"acme.example\"]");
        List<JsonNode> contacts = items(api.get("/api/contacts").json());
        // the three seeded, and Carlos: he wrote from Acme's domain, so the ticketing sink made him its contact
        assertThat(contacts).extracting(c -> c.path("email").asText())
                .containsExactlyInAnyOrder("ann@acme.example", "bob@acme.example", "zoe@acme.example", "carlos@acme.example");
        assertThat(contacts).allSatisfy(c -> assertThat(c.path("company_id").asLong()).isEqualTo(company.path("id").asLong()));
        assertThat(items(api.get("/api/templates").json())).extracting(t -> t.path("name").asText())
                .contains("Acknowledgement");
    }

    /** The demo sets up both its auto-reply rule and the ticketing sink, and the first sync makes tickets. */
    @Test
    void the_auto_reply_rule_and_the_ticketing_sink_are_set_up_and_the_first_sync_made_a_ticket() throws Exception {
        assertThat(printed).doesNotContain("Not set up:");
        assertThat(Files.readString(err)).doesNotContain("Demo: could not set up");
        ApiClient.Reply rules = api.get("/api/rules");
        assertThat(rules.status()).as(rules.body()).isEqualTo(200);
        JsonNode rule = single(rules.json().path("items"));
        assertThat(rule.path("name").asText()).isEqualTo("Acknowledge urgent customer mail");
        assertThat(rule.path("actions").get(0).path("type").asText()).isEqualTo("auto_reply");

        JsonNode box = api.get("/api/mailboxes/" + mailbox).json();
        assertThat(box.path("sink").asText()).isEqualTo("ticketing");
        assertThat(box.path("sink_error").isNull()).as(box.toString()).isTrue();
        // the first sync ran the chains of what it stored (mailroom.processing.sync.wait); the
        // workers finish what it left, so this waits for them rather than for a time
        JsonNode tickets = await("a ticket from the seed", () -> api.get("/api/tickets").json(),
                page -> page.path("total").asInt() > 0);
        assertThat(items(tickets)).extracting(t -> t.path("subject").asText())
                .anySatisfy(subject -> assertThat(subject).contains("Order #4711 arrived damaged"));
        assertThat(box.path("enabled").asBoolean()).isTrue();
        assertThat(demo.isAlive()).isTrue();
    }

    @Test
    void a_reply_from_the_demo_mailbox_reaches_the_customer_and_the_next_sync_finds_it_in_sent() throws Exception {
        long first = items(api.get("/api/messages?mailbox_id=" + mailbox + "&direction=inbound&limit=100").json()).stream()
                .filter(m -> m.path("subject").asText().equals("Order #4711 arrived damaged")).findFirst().orElseThrow()
                .path("id").asLong();
        ApiClient.Reply sent = api.post("/api/send", Map.of("mailbox_id", mailbox, "to", "ann@acme.example",
                "subject", "Your replacement printers", "text", "They left our warehouse today.",
                "reply_to_message_id", first));
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        long id = sent.json().path("id").asLong();

        List<String> annSees = await("the reply in ann@acme.example's inbox on the demo mail server",
                () -> inboxSubjects("ann@acme.example"), subjects -> subjects.contains("Re: Your replacement printers"));
        assertThat(annSees).contains("Re: Your replacement printers");

        JsonNode synced = await("the next sync to find the reply in Sent", () -> {
            api.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);
            return api.get("/api/messages/" + id).json();
        }, message -> message.path("folder").asText().equals("Sent") && message.path("uid").asLong() > 0);
        assertThat(synced.path("direction").asText()).isEqualTo("outbound");
        assertThat(synced.path("status").asText()).isEqualTo("sent");
        assertThat(synced.path("thread_id").asLong())
                .isEqualTo(api.get("/api/messages/" + first).json().path("thread_id").asLong());
    }

    @Test
    void the_real_data_directory_and_the_configured_database_and_token_are_untouched() throws Exception {
        try (Stream<Path> files = Files.walk(realData)) {
            assertThat(files.map(realData::relativize).map(Path::toString).toList())
                    .containsExactlyInAnyOrder("", "keep.txt");
        }
        assertThat(work.resolve("data-demo").resolve("postgres")).isDirectory();
        assertThat(Files.readString(err)).contains("Demo mode ignores mailroom.db.url");
        assertThat(new ApiClient("http://127.0.0.1:" + httpPort, REAL_TOKEN).get("/api/me").status()).isEqualTo(401);
    }

    private static List<String> inboxSubjects(String user) {
        Properties properties = new Properties();
        properties.setProperty("mail.imap.connectiontimeout", "5000");
        properties.setProperty("mail.imap.timeout", "5000");
        try (Store store = Session.getInstance(properties).getStore("imap")) {
            store.connect("127.0.0.1", imapPort, user, "demo");
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<String> subjects = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                subjects.add(message.getSubject());
            }
            inbox.close(false);
            return subjects;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(String what, Supplier<T> look, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T last = look.get();
        while (!done.test(last)) {
            assertThat(System.nanoTime()).as("waiting for " + what + "; last seen: " + last).isLessThan(deadline);
            Thread.sleep(250);
            last = look.get();
        }
        return last;
    }

    private static JsonNode bySubject(List<JsonNode> messages, String subject) {
        return messages.stream().filter(m -> m.path("subject").asText().equals(subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no message '" + subject + "' in " + messages));
    }

    private static List<JsonNode> items(JsonNode page) {
        return StreamSupport.stream(page.path("items").spliterator(), false).toList();
    }

    private static JsonNode single(JsonNode array) {
        assertThat(array.size()).as(array.toString()).isEqualTo(1);
        return array.get(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
