package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.testkit.PluginJarBuilder;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of stored secret (a mailbox's password, its SMTP password, its OAuth tokens, an
 * OAuth provider's client secret, a webhook rule's secret, a ticket sink's secret) is nowhere in
 * the database in plain text: every text, JSON and bytea column of every table in every schema
 * (the host's, Quartz's and the plugins') is searched for it. A host started with another master
 * key cannot open them, says so in words, and keeps serving what needs no secret. It lives with
 * the OAuth tests because it needs their provider, server and recording source.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsAtRestTest extends OAuthTestBase {

    /** Test keys, never a real one. */
    private static final byte[] KEY = "test-master-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "another-test-key-0123456789abcde".getBytes(StandardCharsets.US_ASCII);

    private static final String MAILBOX_PASSWORD = "test-secret-mailbox-pw-Zq81";
    private static final String SMTP_PASSWORD = "test-secret-smtp-pw-Kd27";
    private static final String SINK_TOKEN = "test-secret-sink-token-Hw55";
    private static final String HOOK_SECRET = "test-secret-webhook-Ub39";
    private static final String CLIENT_SECRET = "test-secret-client-Pn64";

    private static final String SINK = """
            package sample.desk;

            import io.mailroom.api.*;
            import io.mailroom.api.message.MessageView;
            import io.mailroom.api.sink.TicketSink;
            import java.util.List;

            public class Desk implements TicketSink {
                @Override public String id() { return "desk"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(SettingDescriptor.required("queue", SettingType.STRING, "the queue"),
                        new SettingDescriptor("token", SettingType.STRING, false, null, true, List.of(), "the API token"));
                }
                @Override public Outcome deliver(MessageView message, Settings settings, ExtensionContext context) {
                    return Outcome.done("filed");
                }
            }
            """;

    private final List<String> plaintexts = new ArrayList<>(List.of(MAILBOX_PASSWORD, SMTP_PASSWORD, SINK_TOKEN,
            HOOK_SECRET, CLIENT_SECRET));
    private ApiClient admin;
    private long withPassword;
    private long withGrant;

    @Override
    Map<String, String> configuration() {
        return Map.of("mailroom.secret.key", Base64.getEncoder().encodeToString(KEY));
    }

    @Override
    @BeforeAll
    void start(@TempDir Path dir) {
        try {
            PluginJarBuilder.plugin("desk").source("sample.desk.Desk", SINK).service(TicketSink.class, "sample.desk.Desk")
                    .buildJar(Files.createDirectories(dir.resolve("plugins")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        super.start(dir);
        admin = fixture.admin;
    }

    private Jdbi jdbi() {
        return fixture.mailroom.mailroom().core().database().jdbi();
    }

    private static Map<String, Object> mailbox(String email, String password) {
        Map<String, Object> settings = new HashMap<>(Map.of("host", "127.0.0.1", "username", email, "password", password));
        Map<String, Object> body = new HashMap<>(Map.of("name", email, "email", email, "source", "recording",
                "settings", settings, "enabled", false));
        return body;
    }

    @Test
    @Order(1)
    void no_secret_is_stored_in_plain_text_in_any_column_of_any_table() {
        Map<String, Object> body = mailbox("sealed@example.com", MAILBOX_PASSWORD);
        body.put("smtp", Map.of("host", "127.0.0.1", "port", 2525, "security", "none", "username", "sealed@example.com",
                "password", SMTP_PASSWORD));
        body.put("sink", "desk");
        body.put("sink_settings", Map.of("queue", "billing", "token", SINK_TOKEN));
        Reply created = admin.post("/api/mailboxes", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        withPassword = created.json().get("id").asLong();

        Reply rule = admin.post("/api/rules", Map.of("name", "Hook", "condition",
                Map.of("field", "subject", "op", "contains", "value", "x"), "actions", List.of(Map.of("type", "webhook",
                        "data", Map.of("url", "http://127.0.0.1:9/hook", "secret", HOOK_SECRET)))));
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);

        withGrant = fixture.connect(fixture.mailroom.adminToken(), "?source=recording", "granted@example.com")
                .get("mailbox_id").asLong();
        Reply provider = admin.put("/api/oauth/providers/mock", Map.of("enabled", true,
                "settings", Map.of("client_secret", CLIENT_SECRET)));
        assertThat(provider.status()).as(provider.body()).isEqualTo(200);

        // the tokens mock-oauth2-server issued, opened with the key they were sealed with
        SecretSealer sealer = new SecretSealer(MasterKeys.of(List.of(KEY)));
        Map<String, Object> grant = jdbi().withHandle(h -> h.createQuery(
                "SELECT access_token, refresh_token FROM oauth_grants WHERE mailbox_id = ?").bind(0, withGrant).mapToMap().one());
        plaintexts.add(sealer.open((String) grant.get("access_token"), "mailbox:" + withGrant + ":access_token"));
        plaintexts.add(sealer.open((String) grant.get("refresh_token"), "mailbox:" + withGrant + ":refresh_token"));

        List<String> columns = searchedColumns();
        assertThat(columns).as("the search reaches the tables that hold secrets").contains("public.qrtz_job_details.job_data:bytea","public.mailboxes.settings",
                "public.mailbox_smtp.password", "public.oauth_grants.access_token", "public.oauth_grants.refresh_token",
                "public.oauth_providers.settings", "public.rules.actions");
        List<String> needles = new ArrayList<>();
        for (String plaintext : plaintexts) {
            needles.add(plaintext);
            needles.add(Base64.getEncoder().encodeToString(plaintext.getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(holding("public.mailboxes.email", List.of("sealed@example.com"))).as("the search finds what is there")
                .containsExactly("sealed@example.com");
        List<String> found = new ArrayList<>();
        for (String column : columns) {
            for (String needle : holding(column, needles)) {
                found.add(column + " holds " + needle.substring(0, 12) + "…");
            }
        }
        assertThat(found).isEmpty();
        // and the API shows only that they are set
        String shown = admin.get("/api/mailboxes/" + withPassword).body() + admin.get("/api/rules").body()
                + admin.get("/api/oauth/providers").body() + admin.get("/api/mailboxes/" + withGrant).body();
        assertThat(plaintexts).allSatisfy(plaintext -> assertThat(shown).doesNotContain(plaintext));
    }

    @Test
    @Order(2)
    void a_host_with_another_master_key_says_it_cannot_open_them_and_serves_the_rest() {
        int loginsBefore = fixture.logins().size();
        fixture.mailroom.restart(Map.of("mailroom.secret.key", Base64.getEncoder().encodeToString(OTHER_KEY)));
        admin = fixture.mailroom.admin();

        // what needs no secret is still served
        Reply mailbox = admin.get("/api/mailboxes/" + withPassword);
        assertThat(mailbox.status()).as(mailbox.body()).isEqualTo(200);
        assertThat(mailbox.json().at("/settings/password_set").asBoolean()).isTrue();
        assertThat(admin.get("/api/mailboxes").status()).isEqualTo(200);
        assertThat(admin.get("/api/rules").status()).isEqualTo(200);
        assertThat(admin.get("/api/oauth/providers").status()).isEqualTo(200);

        // a mailbox whose password is sealed under the missing key: a clear refusal, never a garbled password
        Reply tested = admin.post("/api/mailboxes/" + withPassword + "/test", Map.of());
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        JsonNode test = tested.json();
        assertThat(test.get("ok").asBoolean()).as(test.toString()).isFalse();
        assertThat(test.get("error").asText()).contains("key").doesNotContain(MAILBOX_PASSWORD);
        JsonNode refresh = admin.post("/api/mailboxes/" + withGrant + "/oauth/refresh", Map.of()).json();
        assertThat(refresh.get("ok").asBoolean()).as(refresh.toString()).isFalse();
        assertThat(refresh.get("error").asText()).contains("key");
        assertThat(fixture.logins().subList(loginsBefore, fixture.logins().size())).as("no login was tried with a garbled secret")
                .noneMatch(line -> line.contains("sealed@example.com"));

        // a mailbox whose secrets are sealed under the key the host has works as ever
        Reply added = admin.post("/api/mailboxes", mailbox("added@example.com", "test-secret-added-pw"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        JsonNode plain = admin.post("/api/mailboxes/" + added.json().get("id").asLong() + "/test", Map.of()).json();
        assertThat(plain.get("ok").asBoolean()).as(plain.toString()).isTrue();

        // a change that keeps the unreadable password is refused in words, not a 500 and not a silent drop
        Reply kept = admin.put("/api/mailboxes/" + withPassword, Map.of("settings", Map.of("host", "127.0.0.1")));
        assertThat(kept.status()).as(kept.body()).isEqualTo(409);
        assertThat(kept.json().get("error").asText()).isEqualTo("secret_unreadable");
        assertThat(kept.json().at("/details/path").asText()).isEqualTo("settings.password");

        // entering the password again under the new key mends the mailbox
        Reply mended = admin.put("/api/mailboxes/" + withPassword, Map.of("settings", Map.of("password", "test-secret-new-pw")));
        assertThat(mended.status()).as(mended.body()).isEqualTo(200);
        assertThat(admin.post("/api/mailboxes/" + withPassword + "/test", Map.of()).json().get("ok").asBoolean()).isTrue();
    }

    /** {@code schema.table.column} of every text, JSON and bytea column outside PostgreSQL's own schemas. */
    private List<String> searchedColumns() {
        return jdbi().withHandle(h -> h.createQuery("""
                SELECT c.table_schema || '.' || c.table_name || '.' || c.column_name
                       || CASE WHEN c.data_type = 'bytea' THEN ':bytea' ELSE '' END
                FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE t.table_type = 'BASE TABLE'
                  AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
                  AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
                ORDER BY 1""").mapTo(String.class).list());
    }

    /** Which of {@code needles} occur in {@code column}: one scan of the table. */
    private List<String> holding(String column, List<String> needles) {
        boolean bytes = column.endsWith(":bytea");
        String[] parts = column.replace(":bytea", "").split("\\.", 3);
        String table = "\"" + parts[0] + "\".\"" + parts[1] + "\"";
        String value = "\"" + parts[2] + "\"";
        String match = bytes ? "position(convert_to(n, 'UTF8') IN " + value + ") > 0" : "position(n IN " + value + "::text) > 0";
        return jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT n FROM " + table + " CROSS JOIN unnest(:needles) AS n "
                        + "WHERE " + match)
                .bindArray("needles", String.class, needles).mapTo(String.class).list());
    }
}
