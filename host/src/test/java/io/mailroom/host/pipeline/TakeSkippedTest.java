package io.mailroom.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.TestPluginSources;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/mailboxes/{id}/skipped/{key}/take}: a message the mailbox's filter passed over
 * is read by its key from the server and stored after all, once; its skipped record goes.
 */
class TakeSkippedTest {


    @TempDir
    static Path dir;
    static Path shelf;
    static TestMailroom mailroom;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        PluginJarBuilder.plugin("shelf").source("sample.shelf.Source", TestPluginSources.emlDirectorySource("shelf")).service(MailSource.class, "sample.shelf.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        shelf = Files.createDirectories(dir.resolve("shelf"));
        System.setProperty("shelf.dir", shelf.toString());
        put(1, "Keep this");
        put(2, "Passed over");
        put(3, "Keep that");
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
    }

    @AfterAll
    static void stop() {
        mailroom.close();
        System.clearProperty("shelf.dir");
    }

    static void put(long uid, String subject) throws Exception {
        Files.writeString(shelf.resolve(uid + ".eml"), "From: Ann <ann@acme.example>\r\nTo: desk@example.com\r\n"
                + "Subject: " + subject + "\r\nMessage-ID: <" + uid + "@acme.example>\r\n"
                + "Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nHello " + uid + "\r\n");
    }

    @Test
    void a_message_the_filter_passed_over_is_fetched_and_stored_once() {
        Map<String, Object> body = new HashMap<>(Map.of("name", "desk", "email", "desk@example.com", "source", "shelf"));
        body.put("filter_query", Map.of("field", "subject", "op", "starts_with", "value", "Keep"));
        long mailbox = admin.post("/api/mailboxes", body).json().get("id").asLong();
        JsonNode poll = admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null).json();
        assertThat(poll.get("skipped").asInt()).as(poll.toString()).isEqualTo(1);
        JsonNode skipped = admin.get("/api/mailboxes/" + mailbox + "/skipped").json().get("items");
        assertThat(skipped).hasSize(1);
        assertThat(skipped.get(0).get("key").asText()).isEqualTo("2");
        assertThat(skipped.get(0).get("subject").asText()).isEqualTo("Passed over");

        Reply taken = admin.post("/api/mailboxes/" + mailbox + "/skipped/2/take", null);
        assertThat(taken.status()).as(taken.body()).isEqualTo(200);
        assertThat(taken.json().get("status").asText()).isEqualTo("stored");
        JsonNode message = admin.get("/api/messages/" + taken.json().get("message_id").asLong()).json();
        assertThat(message.get("subject").asText()).isEqualTo("Passed over");
        assertThat(message.get("mailbox_id").asLong()).isEqualTo(mailbox);

        assertThat(admin.get("/api/mailboxes/" + mailbox + "/skipped").json().get("items")).isEmpty();
        assertThat(admin.post("/api/mailboxes/" + mailbox + "/skipped/2/take", null).status())
                .as("taken once").isEqualTo(404);
        admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);
        assertThat(admin.get("/api/messages?mailbox_id=" + mailbox).json().get("total").asInt())
                .as("two kept, one taken, nothing twice").isEqualTo(3);
    }

    @Test
    void an_unknown_key_or_another_users_mailbox_is_not_found() {
        long mailbox = admin.post("/api/mailboxes", Map.of("name", "other", "email", "other@example.com",
                "source", "shelf")).json().get("id").asLong();
        Reply unknown = admin.post("/api/mailboxes/" + mailbox + "/skipped/99/take", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("not_found");

        long userId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann-take@example.com")).json()
                .get("id").asLong();
        String token = admin.post("/api/tokens", Map.of("user_id", userId)).json().get("token").asText();
        assertThat(mailroom.client(token).post("/api/mailboxes/" + mailbox + "/skipped/99/take", null).status())
                .isEqualTo(404);
    }
}
