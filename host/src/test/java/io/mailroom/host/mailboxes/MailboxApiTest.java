package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
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

/** The mailbox API against a source plugin that declares settings but has no server to reach. */
class MailboxApiTest {

    /** A third party's source: settings like IMAP's; connecting always fails as a dead port would. */
    private static final String UNREACHABLE_SOURCE = """
            package sample.unreachable;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.util.List;

            public class Source implements MailSource {
                @Override public String id() { return "unreachable"; }
                @Override public List<SettingDescriptor> settings() {
                    return List.of(
                        SettingDescriptor.required("host", SettingType.STRING, "host"),
                        SettingDescriptor.optional("port", SettingType.INTEGER, "993", "port"),
                        SettingDescriptor.choice("security", "ssl", List.of("ssl", "starttls", "none"), "security"),
                        SettingDescriptor.required("username", SettingType.STRING, "login"),
                        SettingDescriptor.required("password", SettingType.STRING, "password").asSecret());
                }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    throw new TemporaryException("connection refused by " + account.settings().get("host"));
                }
            }
            """;

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        PluginJarBuilder.plugin("unreachable").source("sample.unreachable.Source", UNREACHABLE_SOURCE)
                .service(MailSource.class, "sample.unreachable.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    private static Map<String, Object> mailbox(String email) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Support");
        body.put("email", email);
        body.put("source", "unreachable");
        body.put("settings", Map.of("host", "imap.example.com", "username", email, "password", "s3cret-pw"));
        return body;
    }

    private static JsonNode create(ApiClient client, Map<String, Object> body) {
        Reply reply = client.post("/api/mailboxes", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    @Test
    void a_created_mailbox_shows_its_settings_with_defaults_and_never_its_password() {
        JsonNode created = create(admin, mailbox("support@example.com"));

        assertThat(created.at("/settings/host").asText()).isEqualTo("imap.example.com");
        assertThat(created.at("/settings/port").asInt()).isEqualTo(993);
        assertThat(created.at("/settings/password_set").asBoolean()).isTrue();
        assertThat(created.at("/folders/0").asText()).isEqualTo("INBOX");
        assertThat(created.get("first_sync_days").asInt()).isEqualTo(365);
        assertThat(created.get("status").asText()).isEqualTo("active");
        assertThat(created.toString()).doesNotContain("s3cret-pw");
        String raw = mailroom.mailroom().core().database().jdbi().withHandle(handle -> handle
                .createQuery("SELECT settings::text FROM mailboxes WHERE id = :id")
                .bind("id", created.get("id").asLong()).mapTo(String.class).one());
        assertThat(raw).doesNotContain("s3cret-pw").contains("imap.example.com");
    }

    @Test
    void settings_are_checked_against_what_the_source_declares_and_nothing_is_saved() {
        long before = admin.get("/api/mailboxes").json().get("total").asLong();
        Map<String, Object> badPort = mailbox("a@example.com");
        badPort.put("settings", Map.of("host", "h", "port", "imap", "username", "u", "password", "p"));
        Map<String, Object> unknown = mailbox("b@example.com");
        unknown.put("settings", Map.of("host", "h", "username", "u", "password", "p", "colour", "red"));
        Map<String, Object> missing = mailbox("c@example.com");
        missing.put("settings", Map.of("host", "h", "username", "u"));
        Map<String, Object> noSuchSource = mailbox("d@example.com");
        noSuchSource.put("source", "carrier-pigeon");
        Map<String, Object> badFolders = mailbox("e@example.com");
        badFolders.put("folders", List.of("INBOX", ""));

        assertThat(admin.post("/api/mailboxes", badPort).json().at("/details/path").asText()).isEqualTo("settings.port");
        assertThat(admin.post("/api/mailboxes", unknown).json().at("/details/path").asText()).isEqualTo("settings.colour");
        assertThat(admin.post("/api/mailboxes", missing).json().at("/details/path").asText()).isEqualTo("settings.password");
        assertThat(admin.post("/api/mailboxes", noSuchSource).json().at("/details/path").asText()).isEqualTo("source");
        assertThat(admin.post("/api/mailboxes", badFolders).json().at("/details/path").asText()).isEqualTo("folders[1]");
        assertThat(admin.post("/api/mailboxes", badPort).status()).isEqualTo(400);
        assertThat(admin.get("/api/mailboxes").json().get("total").asLong()).isEqualTo(before);
    }

    @Test
    void a_change_of_some_settings_keeps_the_others_and_the_password() {
        long id = create(admin, mailbox("keep@example.com")).get("id").asLong();

        Reply changed = admin.put("/api/mailboxes/" + id, Map.of("settings", Map.of("host", "mail.example.org"),
                "first_sync_days", 30, "mark_as_read", true));

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().at("/settings/host").asText()).isEqualTo("mail.example.org");
        assertThat(changed.json().at("/settings/username").asText()).isEqualTo("keep@example.com");
        assertThat(changed.json().at("/settings/password_set").asBoolean()).isTrue();
        assertThat(changed.json().get("first_sync_days").asInt()).isEqualTo(30);
        assertThat(changed.json().get("mark_as_read").asBoolean()).isTrue();
        assertThat(admin.put("/api/mailboxes/" + id, Map.of("max_messages_per_poll", 0)).json().at("/details/path").asText())
                .isEqualTo("max_messages_per_poll");
    }

    @Test
    void a_clone_is_disabled_and_its_password_opens_for_it() {
        long id = create(admin, mailbox("clone@example.com")).get("id").asLong();

        JsonNode copy = admin.post("/api/mailboxes/" + id + "/clone", null).json();

        assertThat(copy.get("id").asLong()).isNotEqualTo(id);
        assertThat(copy.get("enabled").asBoolean()).isFalse();
        assertThat(copy.get("status").asText()).isEqualTo("disabled");
        assertThat(copy.at("/settings/password_set").asBoolean()).isTrue();
        Mailbox stored = mailroom.mailroom().core().database().jdbi().onDemand(io.mailroom.host.store.MailboxDao.class)
                .find(copy.get("id").asLong()).orElseThrow();
        assertThat(mailroomMailboxes().openSettings(stored)).containsEntry("password", "s3cret-pw");
    }

    @Test
    void a_test_of_an_unreachable_server_says_why() {
        long id = create(admin, mailbox("test@example.com")).get("id").asLong();

        JsonNode result = admin.post("/api/mailboxes/" + id + "/test", null).json();

        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("error").asText()).contains("connection refused by imap.example.com");
    }

    @Test
    void a_sync_that_cannot_connect_is_a_failed_poll_and_an_error_status() {
        long id = create(admin, mailbox("sync@example.com")).get("id").asLong();

        Reply poll = admin.post("/api/mailboxes/" + id + "/sync?wait=true", null);

        assertThat(poll.status()).isEqualTo(200);
        assertThat(poll.json().get("status").asText()).isEqualTo("failed");
        assertThat(poll.json().get("error").asText()).contains("connection refused");
        JsonNode mailbox = admin.get("/api/mailboxes/" + id).json();
        assertThat(mailbox.get("status").asText()).isEqualTo("error");
        assertThat(mailbox.get("last_error").asText()).contains("connection refused");
        assertThat(admin.get("/api/mailboxes/" + id + "/polls").json().get("items").get(0).get("status").asText())
                .isEqualTo("failed");
    }

    @Test
    void a_user_sees_only_their_own_mailboxes() {
        long other = create(admin, mailbox("admins@example.com")).get("id").asLong();
        long userId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann-mb@example.com")).json().get("id").asLong();
        ApiClient ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", userId)).json().get("token").asText());

        long own = create(ann, mailbox("ann-box@example.com")).get("id").asLong();

        assertThat(ann.get("/api/mailboxes/" + other).status()).isEqualTo(404);
        assertThat(ann.delete("/api/mailboxes/" + other).status()).isEqualTo(404);
        assertThat(ann.get("/api/mailboxes").json().get("items")).extracting(node -> node.get("id").asLong())
                .containsExactly(own);
        assertThat(ann.get("/api/messages?mailbox_id=" + other).status()).isEqualTo(404);
    }

    private static Mailboxes mailroomMailboxes() {
        return mailroom.mailroom().core().mailboxes();
    }
}
