package io.mailroom.host.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What an admin sees in {@code GET /api/plugins} after changing the plugins directory and restarting. */
class PluginsEndpointTest {

    private static JsonNode plugin(TestMailroom mailroom, String id) {
        for (JsonNode plugin : mailroom.admin().get("/api/plugins").json()) {
            if (plugin.get("id").asText().equals(id)) {
                return plugin;
            }
        }
        throw new AssertionError("plugin " + id + " is not listed");
    }

    @Test
    void a_copied_jar_loads_on_the_next_start_and_a_disabled_one_does_not(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        SamplePlugins.withMailSource("alpha", "alpha-source").buildJar(plugins);
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            JsonNode alpha = plugin(mailroom, "alpha");
            assertThat(alpha.get("state").asText()).isEqualTo("started");
            assertThat(alpha.at("/extensions/MailSource/0").asText()).isEqualTo("alpha-source");
            assertThat(alpha.get("error").isNull()).isTrue();

            SamplePlugins.withMailSource("beta", "beta-source").buildJar(plugins);
            Files.writeString(plugins.resolve("disabled.txt"), "alpha\n");
            mailroom.restart();

            assertThat(plugin(mailroom, "beta").get("state").asText()).isEqualTo("started");
            assertThat(plugin(mailroom, "alpha").get("state").asText()).isEqualTo("disabled");
        }
    }

    @Test
    void a_broken_jar_is_reported_and_the_others_start(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        SamplePlugins.withMailSource("healthy", "healthy-source").buildJar(plugins);
        SamplePlugins.withPluginClass("crashing", "crashing-source",
                "throw new IllegalStateException(\"cannot start\");", "").buildJar(plugins);

        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            assertThat(plugin(mailroom, "healthy").get("state").asText()).isEqualTo("started");
            JsonNode crashing = plugin(mailroom, "crashing");
            assertThat(crashing.get("state").asText()).isEqualTo("failed");
            assertThat(crashing.get("error").asText()).contains("cannot start");
        }
    }

    @Test
    void a_started_plugin_gets_its_own_tables(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        SamplePlugins.withMailSource("notes", "notes-source")
                .resource("db/plugins/notes/V1__notes.sql", "CREATE TABLE note (id BIGSERIAL PRIMARY KEY, text TEXT);")
                .buildJar(plugins);

        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            long rows = mailroom.mailroom().core().database().jdbi().withHandle(handle -> handle
                    .createUpdate("INSERT INTO plugin_notes.note (text) VALUES ('hello')").execute());
            assertThat(rows).isEqualTo(1);
            long migrations = mailroom.mailroom().core().database().jdbi().withHandle(handle -> handle
                    .createQuery("SELECT count(*) FROM plugin_notes.flyway_schema_history").mapTo(Long.class).one());
            assertThat(migrations).isPositive();
        }
    }
}
