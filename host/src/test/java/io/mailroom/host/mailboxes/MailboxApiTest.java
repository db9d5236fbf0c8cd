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
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(
                        SettingDescriptor.required("host", SettingType.STRING, "host"),
                        SettingDescriptor.integer("port", 993, 1, 65535, "port"),
                        SettingDescriptor.choice("security", "ssl", List.of("ssl", "starttls", "none"), "security"),
                        SettingDescriptor.required("username", SettingType.STRING, "login"),
                        SettingDescriptor.required("password", SettingType.STRING, "password").asSecret());
                }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    throw new TemporaryException("connection refused by " + account.settings().get("host"));
                }
            }
            """;

    /** A source like IMAP's: the password is optional in its declaration, since OAuth needs none. */
    private static final String LOOSE_SOURCE = """
            package sample.unreachable;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.util.List;

            public class LooseSource implements MailSource {
                @Override public String id() { return "loose"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(
                        SettingDescriptor.required("host", SettingType.STRING, "host"),
                        SettingDescriptor.integer("port", 993, 1, 65535, "port"),
                        SettingDescriptor.required("username", SettingType.STRING, "login"),
                        SettingDescriptor.choice("server_copy", "keep", List.of("keep", "delete"), "what happens on the server"),
                        SettingDescriptor.optional("password", SettingType.STRING, null, "password").asSecret());
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
                .source("sample.unreachable.LooseSource", LOOSE_SOURCE)
                .service(MailSource.class, "sample.unreachable.Source", "sample.unreachable.LooseSource")
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
    void a_change_of_other_fields_keeps_the_settings_and_the_password() {
        long id = create(admin, mailbox("keep@example.com")).get("id").asLong();

        Reply changed = admin.put("/api/mailboxes/" + id, Map.of("settings", Map.of("host", "imap.example.com"),
                "first_sync_days", 30, "mark_as_read", true));

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().at("/settings/host").asText()).isEqualTo("imap.example.com");
        assertThat(changed.json().at("/settings/username").asText()).isEqualTo("keep@example.com");
        assertThat(changed.json().at("/settings/password_set").asBoolean()).isTrue();
        assertThat(changed.json().get("first_sync_days").asInt()).isEqualTo(30);
        assertThat(changed.json().get("mark_as_read").asBoolean()).isTrue();
        assertThat(admin.put("/api/mailboxes/" + id, Map.of("max_messages_per_poll", 0)).json().at("/details/path").asText())
                .isEqualTo("max_messages_per_poll");
    }

    @Test
    void first_sync_days_null_means_all_mail_and_leaving_it_out_keeps_the_value() {
        Map<String, Object> allMail = mailbox("all-mail@example.com");
        allMail.put("first_sync_days", null);
        JsonNode created = create(admin, allMail);
        long id = created.get("id").asLong();
        Map<String, Object> nullAgain = new HashMap<>();
        nullAgain.put("first_sync_days", null);

        assertThat(created.get("first_sync_days").isNull()).as(created.toString()).isTrue();
        Reply otherChange = admin.put("/api/mailboxes/" + id, Map.of("mark_as_read", true));
        assertThat(otherChange.status()).as(otherChange.body()).isEqualTo(200);
        assertThat(otherChange.json().get("first_sync_days").isNull()).isTrue();
        assertThat(admin.put("/api/mailboxes/" + id, Map.of("first_sync_days", 0)).json().get("first_sync_days").asInt())
                .isZero();
        assertThat(admin.put("/api/mailboxes/" + id, Map.of("name", "kept")).json().get("first_sync_days").asInt())
                .isZero();
        assertThat(admin.put("/api/mailboxes/" + id, nullAgain).json().get("first_sync_days").isNull()).isTrue();
        assertThat(admin.get("/api/mailboxes/" + id).json().get("first_sync_days").isNull()).isTrue();
        assertThat(create(admin, mailbox("default-window@example.com")).get("first_sync_days").asInt()).isEqualTo(365);
        for (Object bad : List.of(-1, 36_501, 1.5, "all", true)) {
            Reply refused = admin.put("/api/mailboxes/" + id, Map.of("first_sync_days", bad));
            assertThat(refused.status()).as("%s", bad).isEqualTo(400);
            assertThat(refused.json().at("/details/path").asText()).isEqualTo("first_sync_days");
        }
    }

    @Test
    void pointing_a_mailbox_at_another_server_or_login_drops_its_password_unless_it_is_sent_again() {
        long id = create(admin, mailbox("moved@example.com")).get("id").asLong();

        for (Map<String, Object> move : List.<Map<String, Object>>of(Map.of("host", "attacker.example.net"),
                Map.of("port", 2993), Map.of("security", "none"), Map.of("username", "someone-else"))) {
            Reply refused = admin.put("/api/mailboxes/" + id, Map.of("settings", move));
            assertThat(refused.status()).as(move + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.json().at("/details/path").asText()).isEqualTo("settings.password");
            assertThat(refused.body()).doesNotContain("s3cret-pw");
        }
        JsonNode unchanged = admin.get("/api/mailboxes/" + id).json();
        assertThat(unchanged.at("/settings/host").asText()).isEqualTo("imap.example.com");
        assertThat(unchanged.at("/settings/password_set").asBoolean()).isTrue();

        Reply moved = admin.put("/api/mailboxes/" + id, Map.of("settings",
                Map.of("host", "mail.example.org", "password", "new-pw")));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().at("/settings/host").asText()).isEqualTo("mail.example.org");
        assertThat(openSettings(id)).containsEntry("password", "new-pw");
    }

    @Test
    void a_source_whose_password_is_optional_still_needs_one_to_log_in_with_a_password() {
        Map<String, Object> body = mailbox("nopw@example.com");
        body.put("source", "loose");
        body.put("settings", Map.of("host", "imap.example.com", "username", "nopw@example.com"));

        Reply refused = admin.post("/api/mailboxes", body);

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().at("/details/path").asText()).isEqualTo("settings.password");

        body.put("settings", Map.of("host", "imap.example.com", "username", "nopw@example.com", "password", "pw"));
        long id = create(admin, body).get("id").asLong();
        Reply handling = admin.put("/api/mailboxes/" + id, Map.of("settings", Map.of("server_copy", "delete")));
        assertThat(handling.status()).as("a change of how mail is handled keeps the password: " + handling.body())
                .isEqualTo(200);
        assertThat(handling.json().at("/settings/password_set").asBoolean()).isTrue();
        Reply removed = admin.put("/api/mailboxes/" + id, mapOf("settings", mapOf("password", null)));
        assertThat(removed.json().at("/details/path").asText()).isEqualTo("settings.password");
    }

    @Test
    void a_clone_pointed_elsewhere_does_not_carry_the_password() {
        long id = create(admin, mailbox("clone-elsewhere@example.com")).get("id").asLong();

        Reply refused = admin.post("/api/mailboxes/" + id + "/clone",
                Map.of("settings", Map.of("host", "attacker.example.net")));
        Reply withOwnPassword = admin.post("/api/mailboxes/" + id + "/clone",
                Map.of("name", "Elsewhere", "settings", Map.of("host", "mail.example.org", "password", "other-pw")));

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().at("/details/path").asText()).isEqualTo("settings.password");
        assertThat(withOwnPassword.status()).as(withOwnPassword.body()).isEqualTo(201);
        assertThat(withOwnPassword.json().get("name").asText()).isEqualTo("Elsewhere");
        assertThat(withOwnPassword.json().get("enabled").asBoolean()).isFalse();
        assertThat(openSettings(withOwnPassword.json().get("id").asLong())).containsEntry("password", "other-pw")
                .containsEntry("host", "mail.example.org");
    }

    @Test
    void ports_are_checked_against_their_declared_range_at_save_time() {
        for (Object port : List.of(99999, 0, "abc")) {
            Map<String, Object> body = mailbox("port-" + port + "@example.com");
            body.put("settings", Map.of("host", "h", "port", port, "username", "u", "password", "p"));

            Reply refused = admin.post("/api/mailboxes", body);

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().at("/details/path").asText()).isEqualTo("settings.port");
            assertThat(refused.json().get("message").asText()).contains("must be a whole number from 1 to 65535")
                    .doesNotContain("9223372036854775807");
        }
    }

    @Test
    void an_unknown_field_is_named_by_its_path_and_no_error_names_a_java_class() {
        Map<String, Object> typo = mailbox("typo@example.com");
        typo.put("nme", "Support");
        Map<String, Object> settingTypo = mailbox("typo2@example.com");
        settingTypo.put("settings", Map.of("hots", "h", "host", "h", "username", "u", "password", "p"));
        Map<String, Object> wrongType = mailbox("typo3@example.com");
        wrongType.put("first_sync_days", "soon");
        Map<String, Object> wrongList = mailbox("typo4@example.com");
        wrongList.put("folders", Map.of("a", 1));

        Reply unknown = admin.post("/api/mailboxes", typo);
        Reply unknownSetting = admin.post("/api/mailboxes", settingTypo);
        Reply badType = admin.post("/api/mailboxes", wrongType);
        Reply badList = admin.post("/api/mailboxes", wrongList);
        Reply array = admin.post("/api/mailboxes", "[1, 2]");
        Reply empty = admin.send("PUT", "/api/mailboxes/1", "");
        Reply notJson = admin.post("/api/mailboxes", "{\"name\": ");
        Reply userTypo = admin.post("/api/users", Map.of("name", "X", "email", "x-typo@example.com", "rol", "user"));

        assertThat(unknown.json().get("error").asText()).isEqualTo("unknown_field");
        assertThat(unknown.json().at("/details/path").asText()).isEqualTo("nme");
        assertThat(unknown.json().get("message").asText()).contains("nme").contains("name");
        assertThat(unknownSetting.json().get("error").asText()).isEqualTo("unknown_field");
        assertThat(unknownSetting.json().at("/details/path").asText()).isEqualTo("settings.hots");
        assertThat(badType.json().at("/details/path").asText()).isEqualTo("first_sync_days");
        assertThat(badType.json().get("message").asText()).contains("whole number");
        assertThat(badList.json().at("/details/path").asText()).isEqualTo("folders");
        assertThat(userTypo.json().get("error").asText()).isEqualTo("unknown_field");
        assertThat(userTypo.json().at("/details/path").asText()).isEqualTo("rol");
        for (Reply reply : List.of(unknown, unknownSetting, badType, badList, array, empty, notJson, userTypo)) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(400);
            assertThat(reply.body()).doesNotContain("io.mailroom").doesNotContain("class ").doesNotContain("java.")
                    .doesNotContain("`");
        }
    }

    @Test
    void the_sources_list_their_settings_for_forms() {
        JsonNode sources = admin.get("/api/sources").json();

        JsonNode unreachable = null;
        for (JsonNode source : sources) {
            if (source.get("id").asText().equals("unreachable")) {
                unreachable = source;
            }
        }
        assertThat(unreachable).as(sources.toString()).isNotNull();
        assertThat(unreachable.get("plugin_id").asText()).isEqualTo("unreachable");
        JsonNode port = unreachable.at("/settings/1");
        assertThat(port.get("name").asText()).isEqualTo("port");
        assertThat(port.get("type").asText()).isEqualTo("integer");
        assertThat(port.get("default").asText()).isEqualTo("993");
        assertThat(port.get("min").asLong()).isEqualTo(1);
        assertThat(port.get("max").asLong()).isEqualTo(65535);
        assertThat(unreachable.at("/settings/2/allowed_values").toString()).isEqualTo("[\"ssl\",\"starttls\",\"none\"]");
        JsonNode password = unreachable.at("/settings/4");
        assertThat(password.get("secret").asBoolean()).isTrue();
        assertThat(password.get("required").asBoolean()).isTrue();
        assertThat(password.has("help")).isTrue();
        assertThat(mailroom.client(null).get("/api/sources").status()).isEqualTo(401);
    }

    @Test
    void a_schedule_that_fires_too_often_or_never_is_refused() {
        for (String cron : List.of("* * * * * ?", "0/30 * * * * ?", "0,30 0 * * * ?", "0 0 0 1 1 ? 2020", "not a cron")) {
            Map<String, Object> body = mailbox("cron@example.com");
            body.put("schedule", cron);

            Reply refused = admin.post("/api/mailboxes", body);

            assertThat(refused.status()).as(cron + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.json().at("/details/path").asText()).isEqualTo("schedule");
        }
        Map<String, Object> ok = mailbox("cron-ok@example.com");
        ok.put("schedule", "0 */5 * * * ?");
        assertThat(admin.post("/api/mailboxes", ok).status()).isEqualTo(201);
    }

    @Test
    void a_mailbox_the_scheduler_refuses_is_not_saved_half() {
        long id = create(admin, mailbox("sched-keep@example.com")).get("id").asLong();
        long before = admin.get("/api/mailboxes").json().get("total").asLong();
        jdbi().useHandle(handle -> handle.execute("""
                CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN RAISE EXCEPTION 'refused for a test'; END $$;
                CREATE TRIGGER refuse_for_test BEFORE INSERT ON qrtz_triggers
                FOR EACH ROW EXECUTE FUNCTION refuse_for_test();
                """));
        try {
            Map<String, Object> scheduled = mailbox("sched@example.com");
            scheduled.put("schedule", "0 */5 * * * ?");

            Reply created = admin.post("/api/mailboxes", scheduled);
            Reply changed = admin.put("/api/mailboxes/" + id, Map.of("name", "Renamed", "schedule", "0 */7 * * * ?"));

            assertThat(created.status()).as(created.body()).isEqualTo(503);
            assertThat(created.json().get("error").asText()).isEqualTo("scheduler_unavailable");
            assertThat(changed.status()).as(changed.body()).isEqualTo(503);
            long half = jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM mailboxes WHERE email = 'sched@example.com'").mapTo(Long.class).one());
            assertThat(half).isZero();
            assertThat(admin.get("/api/mailboxes/" + id).json().get("name").asText()).isEqualTo("Support");
            assertThat(admin.get("/api/mailboxes/" + id).json().get("schedule").isNull()).isTrue();
            assertThat(admin.get("/api/mailboxes").json().get("total").asLong()).isEqualTo(before);
            assertThat(admin.get("/api/mailboxes/" + id).json().get("next_sync_at").isNull())
                    .as("the job is left as it was").isFalse();
        } finally {
            jdbi().useHandle(handle -> handle.execute(
                    "DROP TRIGGER refuse_for_test ON qrtz_triggers; DROP FUNCTION refuse_for_test()"));
        }
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

    private static org.jdbi.v3.core.Jdbi jdbi() {
        return mailroom.mailroom().core().database().jdbi();
    }

    private static Map<String, String> openSettings(long id) {
        Mailbox stored = jdbi().onDemand(io.mailroom.host.mailboxes.MailboxDao.class).find(id).orElseThrow();
        return mailroomMailboxes().openSettings(stored);
    }

    /** A map that may hold null values. */
    private static Map<String, Object> mapOf(String key, Object value) {
        Map<String, Object> map = new HashMap<>();
        map.put(key, value);
        return map;
    }

    @Test
    void smtp_settings_are_shown_without_their_password_which_is_sealed_and_dropped_when_the_server_changes() {
        Map<String, Object> body = mailbox("sender@example.com");
        body.put("smtp", Map.of("host", "smtp.example.com", "port", 587, "security", "starttls",
                "username", "sender@example.com", "password", "smtp-s3cret"));
        JsonNode created = create(admin, body);
        long id = created.get("id").asLong();

        assertThat(created.at("/smtp/host").asText()).isEqualTo("smtp.example.com");
        assertThat(created.at("/smtp/password_set").asBoolean()).isTrue();
        assertThat(created.at("/smtp/rate_per_minute").asInt()).isEqualTo(30);
        assertThat(created.toString()).doesNotContain("smtp-s3cret");
        String stored = mailroom.mailroom().core().database().jdbi().withHandle(handle -> handle
                .createQuery("SELECT password FROM mailbox_smtp WHERE mailbox_id = :id").bind("id", id)
                .mapTo(String.class).one());
        assertThat(stored).isNotBlank().doesNotContain("smtp-s3cret");

        JsonNode sameServer = admin.put("/api/mailboxes/" + id, Map.of("smtp", Map.of("host", "smtp.example.com",
                "port", 587, "security", "starttls", "username", "sender@example.com", "rate_per_minute", 5))).json();
        assertThat(sameServer.at("/smtp/password_set").asBoolean()).isTrue();
        assertThat(sameServer.at("/smtp/rate_per_minute").asInt()).isEqualTo(5);

        JsonNode moved = admin.put("/api/mailboxes/" + id, Map.of("smtp", Map.of("host", "smtp.elsewhere.example",
                "port", 587, "security", "starttls", "username", "sender@example.com"))).json();
        assertThat(moved.at("/smtp/password_set").asBoolean()).isFalse();
        assertThat(admin.get("/api/mailboxes/" + id).json().at("/smtp/host").asText()).isEqualTo("smtp.elsewhere.example");
    }

    @Test
    void bad_smtp_settings_are_a_400_naming_the_field() {
        Map<String, Object> badSecurity = mailbox("s1@example.com");
        badSecurity.put("smtp", Map.of("host", "smtp.example.com", "security", "tls"));
        Map<String, Object> badPort = mailbox("s2@example.com");
        badPort.put("smtp", Map.of("host", "smtp.example.com", "port", 70000));
        Map<String, Object> injected = mailbox("s3@example.com");
        injected.put("smtp", Map.of("host", "smtp.example.com", "username", "a\r\nRCPT TO:<x@evil.example>"));
        Map<String, Object> unknown = mailbox("s4@example.com");
        unknown.put("smtp", Map.of("host", "smtp.example.com", "colour", "red"));

        assertThat(admin.post("/api/mailboxes", badSecurity).json().at("/details/path").asText()).isEqualTo("smtp.security");
        assertThat(admin.post("/api/mailboxes", badPort).json().at("/details/path").asText()).isEqualTo("smtp.port");
        assertThat(admin.post("/api/mailboxes", injected).json().at("/details/path").asText()).isEqualTo("smtp.username");
        assertThat(admin.post("/api/mailboxes", unknown).json().at("/details/path").asText()).isEqualTo("smtp.colour");
    }

    private static Mailboxes mailroomMailboxes() {
        return mailroom.mailroom().core().mailboxes();
    }
}
