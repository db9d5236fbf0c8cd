package io.mailroom.host.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.TestPluginSources;
import io.mailroom.host.outbound.Bounces;
import io.mailroom.testkit.PluginJarBuilder;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.mailroom.host.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/stats}: what a sync stored, quarantined and skipped, what the outbox sent and
 * a bounce answered, counted per mailbox and UTC day; each caller sees their own mailboxes.
 */
class StatsTest {

    @TempDir
    static Path dir;
    static Path shelf;
    static GreenMail smtp;
    static TestMailroom mailroom;
    static ApiClient admin;
    static ApiClient ann;
    static long annId;
    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @BeforeAll
    static void start() throws Exception {
        PluginJarBuilder.plugin("shelf").source("sample.shelf.Source", TestPluginSources.emlDirectorySource("shelf"))
                .service(MailSource.class, "sample.shelf.Source").buildJar(Files.createDirectories(dir.resolve("plugins")));
        shelf = Files.createDirectories(dir.resolve("shelf"));
        System.setProperty("shelf.dir", shelf.toString());
        // one second either side of midnight (UTC) three days ago: two days
        put(1, "Keep one", TODAY.minusDays(3).atTime(23, 59, 59).toInstant(ZoneOffset.UTC), "");
        put(2, "Keep two", TODAY.minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC), "");
        put(3, "Passed over", TODAY.minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC), "");
        Files.writeString(shelf.resolve("4.eml"), ""); // nothing to parse: quarantined
        put(5, "Keep but too big", TODAY.minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC), "x".repeat(5000));
        put(6, "Keep old", TODAY.minusDays(100).atTime(12, 0).toInstant(ZoneOffset.UTC), ""); // past the retention
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        mailroom = TestMailroom.start(dir, Map.of("mailroom.max.message.size", "4096", "mailroom.outbox.poll.ms", "100",
                "mailroom.retention.days", "30"));
        admin = mailroom.admin();
        annId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann-stats@example.com")).json().get("id").asLong();
        ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", annId)).json().get("token").asText());
    }

    @AfterAll
    static void stop() {
        mailroom.close();
        smtp.stop();
        System.clearProperty("shelf.dir");
    }

    static void put(long uid, String subject, Instant date, String body) throws Exception {
        Files.writeString(shelf.resolve(uid + ".eml"), "From: Ann <ann@acme.example>\r\nTo: desk@example.com\r\n"
                + "Subject: " + subject + "\r\nMessage-ID: <" + uid + "@acme.example>\r\nDate: "
                + DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(date.atOffset(ZoneOffset.UTC))
                + "\r\n\r\nHello " + uid + body + "\r\n");
    }

    static long shelfMailbox(ApiClient client, String email) {
        Map<String, Object> body = new HashMap<>(Map.of("name", email, "email", email, "source", "shelf"));
        body.put("filter_query", Map.of("field", "subject", "op", "starts_with", "value", "Keep"));
        Reply created = client.post("/api/mailboxes", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long mailbox = created.json().get("id").asLong();
        JsonNode poll = client.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null).json();
        assertThat(poll.get("status").asText()).as(poll.toString()).isIn("ok", "partial");
        return mailbox;
    }

    static Jdbi jdbi() {
        return mailroom.mailroom().core().database().jdbi();
    }

    /** The item of one day, as {received, sent, quarantined, bounced, skipped}. */
    static List<Long> day(JsonNode stats, long mailbox, LocalDate day) {
        for (JsonNode item : stats.get("items")) {
            if (item.get("mailbox_id").asLong() == mailbox && item.get("day").asText().equals(day.toString())) {
                return counts(item);
            }
        }
        return List.of(0L, 0L, 0L, 0L, 0L);
    }

    static List<Long> counts(JsonNode node) {
        List<Long> counts = new ArrayList<>();
        for (String field : List.of("received", "sent", "quarantined", "bounced", "skipped")) {
            counts.add(node.get(field).asLong());
        }
        return counts;
    }

    @Test
    void a_sync_counts_stored_mail_on_the_day_it_arrived_and_quarantined_and_skipped_mail_today() {
        long mailbox = shelfMailbox(admin, "desk@example.com");

        Reply reply = admin.get("/api/stats?mailbox_id=" + mailbox + "&since=" + TODAY.minusDays(10));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode stats = reply.json();
        assertThat(stats.get("until").asText()).isEqualTo(TODAY.toString());
        assertThat(day(stats, mailbox, TODAY.minusDays(3))).as("23:59:59").containsExactly(1L, 0L, 0L, 0L, 0L);
        assertThat(day(stats, mailbox, TODAY.minusDays(2))).as("00:00:00 the next day").containsExactly(1L, 0L, 0L, 0L, 0L);
        assertThat(day(stats, mailbox, TODAY)).as("the filter's and the size limit's skips, the quarantined one")
                .containsExactly(0L, 0L, 1L, 0L, 2L);
        assertThat(stats.get("total").asLong()).isEqualTo(3);
        assertThat(counts(stats.get("totals"))).containsExactly(2L, 0L, 1L, 0L, 2L);

        admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);
        assertThat(counts(admin.get("/api/stats?mailbox_id=" + mailbox + "&since=" + TODAY.minusDays(10)).json()
                .get("totals"))).as("a second sync counts nothing twice").containsExactly(2L, 0L, 1L, 0L, 2L);

        JsonNode firstPage = admin.get("/api/stats?mailbox_id=" + mailbox + "&since=" + TODAY.minusDays(10) + "&limit=2").json();
        assertThat(firstPage.get("items")).hasSize(2);
        JsonNode second = admin.get("/api/stats?mailbox_id=" + mailbox + "&since=" + TODAY.minusDays(10) + "&limit=2&cursor="
                + firstPage.get("next_cursor").asText()).json();
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("items").get(0).get("day").asText()).isEqualTo(TODAY.toString());
        assertThat(admin.get("/api/stats?mailbox_id=" + mailbox + "&until=" + TODAY.minusDays(3)).json().get("items"))
                .as("the range ends with until").hasSize(1);
    }

    @Test
    void a_sent_mail_and_the_bounce_tied_to_it_are_counted_for_the_sending_mailbox() {
        long mailbox = jdbi().withHandle(handle -> {
            long id = handle.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) "
                            + "VALUES (?, 'Sender', 'sender@example.com', 'imap')")
                    .bind(0, annId).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, rate_per_minute) "
                    + "VALUES (?, '127.0.0.1', ?, 'none', 1000)", id, smtp.getSmtp().getPort());
            return id;
        });
        Reply queued = ann.post("/api/send", Map.of("mailbox_id", mailbox, "to", "nobody@customer.example",
                "subject", "Will bounce", "text", "x"));
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        long id = queued.json().get("id").asLong();
        await("sent", () -> ann.get("/api/messages/" + id).json().get("status").asText().equals("sent"));
        Bounces.store(jdbi(), mailbox, "dsn-stats", "sender@example.com", queued.json().get("message_id").asText());
        await("bounced", () -> ann.get("/api/messages/" + id).json().get("status").asText().equals("bounced"));

        JsonNode stats = ann.get("/api/stats?mailbox_id=" + mailbox).json();
        assertThat(day(stats, mailbox, TODAY)).as("the bounce itself was received").containsExactly(1L, 1L, 0L, 1L, 0L);
    }

    @Test
    void a_user_sees_the_counts_of_their_own_mailboxes_only() {
        long annsMailbox = shelfMailbox(ann, "ann-desk@example.com");
        long adminsMailbox = shelfMailbox(admin, "admin-desk@example.com");

        JsonNode annsView = ann.get("/api/stats?since=" + TODAY.minusDays(10)).json();
        assertThat(annsView.get("items").findValues("mailbox_id").stream().map(JsonNode::asLong).distinct())
                .doesNotContain(adminsMailbox).contains(annsMailbox);
        JsonNode all = admin.get("/api/stats?since=" + TODAY.minusDays(10)).json();
        assertThat(all.get("items").findValues("mailbox_id").stream().map(JsonNode::asLong).distinct())
                .contains(adminsMailbox, annsMailbox);

        Reply other = ann.get("/api/stats?mailbox_id=" + adminsMailbox);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().get("error").asText()).isEqualTo("not_found");
        assertThat(ann.get("/api/stats?mailbox_id=999999").status()).isEqualTo(404);
        assertThat(mailroom.client("not-a-token").get("/api/stats").status()).isEqualTo(401);
    }

    @Test
    void housekeeping_deletes_mail_past_the_retention_and_the_counts_stay() {
        long mailbox = shelfMailbox(admin, "retention@example.com");
        String query = "/api/stats?mailbox_id=" + mailbox + "&since=" + TODAY.minusDays(120);
        JsonNode before = admin.get(query).json();
        assertThat(day(before, mailbox, TODAY.minusDays(100))).containsExactly(1L, 0L, 0L, 0L, 0L);
        assertThat(admin.get("/api/messages?mailbox_id=" + mailbox).json().get("total").asLong()).isEqualTo(3);

        assertThat(ann.post("/api/maintenance/housekeeping", null).status()).as("superadmin only").isEqualTo(403);
        assertThat(ann.get("/api/maintenance/housekeeping").status()).isEqualTo(403);
        JsonNode plan = admin.get("/api/maintenance/housekeeping").json();
        assertThat(plan.get("retention_days").asInt()).isEqualTo(30);
        assertThat(plan.get("would_delete").get("messages").asLong()).isPositive();
        Reply run = admin.post("/api/maintenance/housekeeping", null);
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().get("deleted").get("messages").asLong()).isPositive();

        JsonNode left = admin.get("/api/messages?mailbox_id=" + mailbox).json();
        assertThat(left.get("items").findValues("subject").stream().map(JsonNode::asText))
                .containsExactlyInAnyOrder("Keep one", "Keep two");
        assertThat(admin.get(query).json()).as("statistics survive retention").isEqualTo(before);
        assertThat(admin.get("/api/maintenance/housekeeping").json().get("would_delete").get("messages").asLong())
                .as("nothing left to delete").isZero();
        List<String> daily = jdbi().withHandle(h -> h.createQuery("SELECT c.cron_expression || ' ' || c.time_zone_id "
                + "FROM qrtz_cron_triggers c WHERE c.trigger_name = 'service:housekeeping'").mapTo(String.class).list());
        assertThat(daily).as("the daily run, one per cluster").containsExactly("0 30 3 * * ? UTC");
    }

    @Test
    void wrong_days_and_ranges_are_refused_naming_the_field() {
        assertInvalid("/api/stats?since=yesterday", "since");
        assertInvalid("/api/stats?until=2026-13-01", "until");
        assertInvalid("/api/stats?since=2026-11-02&until=2026-11-01", "since");
        assertInvalid("/api/stats?since=2025-01-01&until=2026-01-02", "since");
        assertInvalid("/api/stats?mailbox_id=one", "mailbox_id");
        assertInvalid("/api/stats?limit=0", "limit");
        assertThat(admin.get("/api/stats?since=2025-01-02&until=2026-01-02").status()).as("366 days").isEqualTo(200);
        JsonNode defaults = admin.get("/api/stats").json();
        assertThat(LocalDate.parse(defaults.get("since").asText()).plusDays(29))
                .isEqualTo(LocalDate.parse(defaults.get("until").asText()));
    }

    static void assertInvalid(String path, String field) {
        Reply reply = admin.get(path);
        assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(400);
        assertThat(reply.json().get("details").get("path").asText()).isEqualTo(field);
    }
}
