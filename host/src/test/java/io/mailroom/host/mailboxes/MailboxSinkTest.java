package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.PluginJarBuilder;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A mailbox's ticket sink: checked against what the sink declares, secrets sealed and never shown, a missing plugin reported. */
class MailboxSinkTest {

    private static final String PLUGIN = """
            package sample.desk;

            import io.mailroom.api.*;
            import io.mailroom.api.message.MessageView;
            import io.mailroom.api.sink.TicketSink;
            import io.mailroom.api.source.*;
            import java.util.List;

            public class Desk implements TicketSink {
                @Override public String id() { return "desk"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(SettingDescriptor.required("queue", SettingType.STRING, "the queue tickets go to"),
                        new SettingDescriptor("token", SettingType.STRING, false, null, true, List.of(), "the API token"));
                }
                @Override public Outcome deliver(MessageView message, Settings settings, ExtensionContext context) {
                    return Outcome.done("filed");
                }
            }
            """;

    private static final String SOURCE = """
            package sample.desk;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;

            public class Quiet implements MailSource {
                @Override public String id() { return "desk"; }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    throw new PermanentException("reads no mail");
                }
            }
            """;

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static Jdbi jdbi;

    @BeforeAll
    static void start() throws Exception {
        PluginJarBuilder.plugin("desk").source("sample.desk.Desk", PLUGIN).source("sample.desk.Quiet", SOURCE)
                .service(TicketSink.class, "sample.desk.Desk").service(MailSource.class, "sample.desk.Quiet")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
        jdbi = mailroom.mailroom().core().database().jdbi();
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    private static ApiClient.Reply create(Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Desk", "email", "desk@example.com", "source", "desk",
                "enabled", false));
        body.putAll(extra);
        return admin.post("/api/mailboxes", body);
    }

    @Test
    void a_sink_is_shown_with_its_settings_and_never_its_secret_which_is_sealed() {
        ApiClient.Reply created = create(Map.of("sink", "desk", "sink_settings", Map.of("queue", "billing", "token", "s3cret-token")));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode mailbox = created.json();
        assertThat(mailbox.get("sink").asText()).isEqualTo("desk");
        assertThat(mailbox.get("sink_settings").toString()).isEqualTo("{\"queue\":\"billing\",\"token_set\":true}");
        assertThat(mailbox.get("sink_error").isNull()).isTrue();
        assertThat(created.body()).doesNotContain("s3cret-token");
        String stored = jdbi.withHandle(handle -> handle.createQuery("SELECT sink_settings::text FROM mailboxes WHERE id = :id")
                .bind("id", mailbox.get("id").asLong()).mapTo(String.class).one());
        assertThat(stored).contains("billing").doesNotContain("s3cret-token");

        long id = mailbox.get("id").asLong();
        JsonNode changed = admin.put("/api/mailboxes/" + id, Map.of("sink_settings", Map.of("queue", "support"))).json();
        assertThat(changed.get("sink_settings").toString()).as("a secret left out is kept")
                .isEqualTo("{\"queue\":\"support\",\"token_set\":true}");

        Map<String, Object> none = new HashMap<>();
        none.put("sink", null);
        JsonNode removed = admin.put("/api/mailboxes/" + id, none).json();
        assertThat(removed.get("sink").isNull()).isTrue();
        assertThat(removed.get("sink_settings").toString()).isEqualTo("{}");
    }

    @Test
    void settings_the_sink_does_not_accept_and_an_unknown_sink_are_a_400_naming_the_field_and_nothing_is_saved() {
        long before = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM mailboxes").mapTo(Long.class).one());

        ApiClient.Reply missing = create(Map.of("sink", "desk", "sink_settings", Map.of("token", "x")));
        ApiClient.Reply unknownSetting = create(Map.of("sink", "desk", "sink_settings", Map.of("queue", "q", "colour", "red")));
        ApiClient.Reply unknownSink = create(Map.of("sink", "zendesk"));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/details/path").asText()).isEqualTo("sink_settings.queue");
        assertThat(unknownSetting.status()).isEqualTo(400);
        assertThat(unknownSetting.json().at("/details/path").asText()).isEqualTo("sink_settings.colour");
        assertThat(unknownSink.status()).isEqualTo(400);
        assertThat(unknownSink.json().at("/details/path").asText()).isEqualTo("sink");
        assertThat(unknownSink.json().get("message").asText()).contains("zendesk").doesNotContain("Exception");
        long after = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM mailboxes").mapTo(Long.class).one());
        assertThat(after).isEqualTo(before);
    }

    @Test
    void a_sink_whose_plugin_is_not_running_is_reported_by_the_mailbox() {
        long id = create(Map.of()).json().get("id").asLong();
        // its plugin was removed since the sink was chosen
        jdbi.useHandle(handle -> handle.execute("UPDATE mailboxes SET sink = 'gone', sink_settings = '{\"key\": \"sealed\"}' "
                + "WHERE id = ?", id));

        JsonNode mailbox = admin.get("/api/mailboxes/" + id).json();

        assertThat(mailbox.get("sink").asText()).isEqualTo("gone");
        assertThat(mailbox.get("sink_error").asText()).contains("the sink 'gone' is not available: its plugin is not started");
        assertThat(mailbox.get("sink_settings").toString()).isEqualTo("{\"key_set\":true}");
    }
}
