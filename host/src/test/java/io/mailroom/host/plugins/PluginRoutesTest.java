package io.mailroom.host.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.route.PluginRoutes;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin as a whole feature: its own tables (migrated into its own schema before it starts) and
 * its own routes under /api, with the host's token check, roles, error format and OpenAPI
 * document, gone while it is disabled. The sample plugin's sources are in
 * src/test/resources/sample-plugins/notes and are built into a real jar here.
 */
class PluginRoutesTest {

    @TempDir
    static Path dir;
    private static TestMailroom mailroom;
    private static ApiClient admin;
    private static ApiClient ann;
    private static long annId;

    @BeforeAll
    static void start() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJarBuilder.plugin("notes")
                .source("sample.notes.NotesRoutes", resource("sample-plugins/notes/NotesRoutes.java"))
                .service(PluginRoutes.class, "sample.notes.NotesRoutes")
                .resource("db/plugins/notes/V1__notes.sql", resource("sample-plugins/notes/db/plugins/notes/V1__notes.sql"))
                .buildJar(plugins);
        withRoutes("loose", """
                new PluginRoute("GET", "/loose/database", Access.USER, "database() without migrations", (request, context) -> {
                    try {
                        context.database();
                        return RouteResponse.ok(Map.of("refused", false));
                    } catch (UnsupportedOperationException e) {
                        return RouteResponse.ok(Map.of("refused", true, "message", e.getMessage()));
                    }
                })""").buildJar(plugins);
        withRoutes("clash", """
                new PluginRoute("GET", "/me", Access.USER, "the host's route", (request, context) -> RouteResponse.ok("mine"))""")
                .buildJar(plugins);
        withRoutes("other", """
                new PluginRoute("GET", "/notes/{name}", Access.USER, "another plugin's route", (request, context) -> RouteResponse.ok("other"))""")
                .buildJar(plugins);
        withRoutes("late", """
                new PluginRoute("GET", "/late", Access.USER, "counts its rows", (request, context) -> {
                    try (var connection = context.database().getConnection();
                         var rows = connection.createStatement().executeQuery("SELECT count(*) FROM late_item")) {
                        rows.next();
                        return RouteResponse.ok(Map.of("items", rows.getLong(1)));
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                })""")
                .resource("db/plugins/late/V1__late.sql", "CREATE TABLE late_item (id int); INSERT INTO late_item VALUES (1), (2);")
                .buildJar(plugins);
        withRoutes("badsql", """
                new PluginRoute("GET", "/badsql", Access.USER, "never mounted", (request, context) -> RouteResponse.ok("x"))""")
                .resource("db/plugins/badsql/V1__bad.sql", "CREATE TABLEE nonsense (id int);")
                .buildJar(plugins);
        Files.writeString(plugins.resolve("disabled.txt"), "late\n");

        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
        annId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann@example.com", "role", "user")).json()
                .get("id").asLong();
        ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", annId)).json().get("token").asText());
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    @Test
    void the_plugins_table_is_in_its_own_schema_with_its_own_history() {
        var jdbi = mailroom.mailroom().core().database().jdbi();
        List<String> own = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'plugin_notes' ORDER BY 1")
                .mapTo(String.class).list());
        long inPublic = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'note'")
                .mapTo(Long.class).one());
        assertThat(own).containsExactly("flyway_schema_history", "note");
        assertThat(inPublic).isZero();
    }

    @Test
    void routes_answer_with_path_query_and_body() {
        Reply created = ann.post("/api/notes", Map.of("text", "hello world"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("owner_id").asLong()).as("records are written in snake_case").isEqualTo(annId);

        Reply one = ann.get("/api/notes/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("text").asText()).isEqualTo("hello world");

        Reply found = ann.get("/api/notes?contains=wor");
        assertThat(found.json().get("contains").asText()).isEqualTo("wor");
        assertThat(found.json().get("items")).extracting(JsonNode::toString).asString().contains("hello world");
        assertThat(ann.get("/api/notes?contains=absent").json().get("items")).isEmpty();

        assertThat(ann.get("/api/notes/mine").json().get("route").asText())
                .as("a literal segment wins over a parameter").isEqualTo("/notes/mine");
    }

    @Test
    void routes_need_a_token_and_superadmin_routes_a_superadmin() {
        assertThat(mailroom.client(null).get("/api/notes").status()).isEqualTo(401);
        assertThat(mailroom.client("mr_forged").get("/api/notes").status()).isEqualTo(401);

        Reply asUser = ann.delete("/api/notes");
        assertThat(asUser.status()).isEqualTo(403);
        assertThat(asUser.json().get("error").asText()).isEqualTo("forbidden");
        assertThat(admin.delete("/api/notes").status()).isEqualTo(204);
    }

    @Test
    void a_route_exception_is_the_error_format_and_any_other_failure_a_bare_500() {
        Reply invalid = ann.post("/api/notes", Map.of("title", "no text"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(invalid.json().at("/details/path").asText()).isEqualTo("text");
        assertThat(invalid.json().get("message").asText()).isEqualTo("text is required");

        Reply missing = ann.get("/api/notes/999999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");

        Reply crash = ann.get("/api/notes-crash");
        assertThat(crash.status()).isEqualTo(500);
        assertThat(crash.json().get("error").asText()).isEqualTo("internal_error");
        assertThat(crash.body()).doesNotContain("secret-detail").doesNotContain("IllegalStateException");

        Reply notJson = ann.post("/api/notes", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").asText()).isEqualTo("invalid_json");

        Reply tooLarge = ann.post("/api/notes", "\"" + "x".repeat((1 << 20) + 10) + "\"");
        assertThat(tooLarge.status()).isEqualTo(413);
    }

    @Test
    void the_routes_are_in_the_openapi_document_and_disabling_the_plugin_removes_them() {
        assertThat(openApiPaths().has("/api/notes/{id}")).isTrue();
        assertThat(openApiPaths().at("/~1api~1notes/delete/summary").asText()).isEqualTo("Deletes every note");
        long id = ann.post("/api/notes", Map.of("text", "kept")).json().get("id").asLong();

        Reply disabled = admin.put("/api/plugins/notes", Map.of("enabled", false));
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json().get("state").asText()).isEqualTo("disabled");
        try {
            assertThat(ann.get("/api/notes/" + id).status()).isEqualTo(404);
            assertThat(ann.post("/api/notes", Map.of("text", "x")).status()).isEqualTo(404);
            assertThat(openApiPaths().has("/api/notes/{id}")).isFalse();
            assertThat(openApiPaths().has("/api/me")).as("the host's routes stay").isTrue();
        } finally {
            Reply enabled = admin.put("/api/plugins/notes", Map.of("enabled", true));
            assertThat(enabled.json().get("state").asText()).as(enabled.body()).isEqualTo("started");
        }

        assertThat(ann.get("/api/notes/" + id).json().get("text").asText()).isEqualTo("kept");
        assertThat(openApiPaths().has("/api/notes/{id}")).isTrue();
    }

    @Test
    void only_a_superadmin_enables_or_disables_a_plugin() {
        assertThat(ann.put("/api/plugins/notes", Map.of("enabled", false)).status()).isEqualTo(403);
        assertThat(admin.put("/api/plugins/nope", Map.of("enabled", false)).status()).isEqualTo(404);
        assertThat(admin.put("/api/plugins/notes", Map.of("enabled", "no")).json().at("/details/path").asText())
                .isEqualTo("enabled");
    }

    @Test
    void a_plugin_enabled_at_run_time_has_its_tables_migrated_before_its_routes_answer() {
        assertThat(plugin("late").get("state").asText()).isEqualTo("disabled");
        assertThat(ann.get("/api/late").status()).isEqualTo(404);

        Reply enabled = admin.put("/api/plugins/late", Map.of("enabled", true));

        assertThat(enabled.json().get("state").asText()).as(enabled.body()).isEqualTo("started");
        assertThat(ann.get("/api/late").json().get("items").asLong()).isEqualTo(2);
    }

    @Test
    void a_route_that_collides_with_a_host_route_or_another_plugins_fails_its_plugin() {
        JsonNode clash = plugin("clash");
        assertThat(clash.get("state").asText()).isEqualTo("failed");
        assertThat(clash.get("error").asText()).contains("route GET /api/me collides with the host's route GET /api/me");
        assertThat(ann.get("/api/me").json().get("email").asText()).isEqualTo("ann@example.com");

        JsonNode other = plugin("other");
        assertThat(other.get("state").asText()).isEqualTo("failed");
        assertThat(other.get("error").asText()).contains("route GET /api/notes/{name} collides with GET /api/notes/").contains("of plugin 'notes'");
    }

    @Test
    void a_failing_migration_fails_its_plugin_not_the_host() {
        JsonNode bad = plugin("badsql");
        assertThat(bad.get("state").asText()).isEqualTo("failed");
        assertThat(bad.get("error").asText()).contains("its database migrations failed").contains("TABLEE");
        assertThat(ann.get("/api/badsql").status()).isEqualTo(404);
    }

    @Test
    void the_database_of_a_plugin_without_migrations_is_refused() {
        JsonNode answer = ann.get("/api/loose/database").json();
        assertThat(answer.get("refused").asBoolean()).isTrue();
        assertThat(answer.get("message").asText()).contains("ships no migrations under db/plugins/loose/");
    }

    @Test
    void mailboxes_notifications_and_templates_are_reached_through_the_context() {
        long mailbox = mailroom.mailroom().core().database().jdbi().withHandle(handle -> handle.createQuery(
                "INSERT INTO mailboxes (owner_user_id, name, email, source) VALUES (:owner, 'Support', 'support@example.com',"
                        + " 'imap') RETURNING id").bind("owner", annId).mapTo(Long.class).one());

        JsonNode seen = ann.get("/api/notes-services/mailboxes/" + mailbox).json();
        assertThat(seen.at("/mailbox/name").asText()).isEqualTo("Support");
        assertThat(seen.at("/mailbox/email").asText()).isEqualTo("support@example.com");
        assertThat(seen.at("/mailbox/owner_user_id").asLong()).isEqualTo(annId);
        assertThat(seen.get("owned_by_caller").toString()).isEqualTo("[" + mailbox + "]");
        assertThat(ann.get("/api/notes-services/mailboxes/999999").status()).isEqualTo(404);

        assertThat(ann.post("/api/notes-services/notify", null).status()).isEqualTo(204);
        JsonNode notifications = ann.get("/api/notifications").json().get("items");
        assertThat(notifications.get(0).get("kind").asText()).isEqualTo("note_added");
        assertThat(notifications.get(0).get("message").asText()).isEqualTo("A note was added.");

        long template = ann.post("/api/templates", Map.of("name", "ack", "subject", "Hello {{name}}",
                "text", "Dear {{name}}", "html", "<p>{{name}}</p>")).json().get("id").asLong();
        JsonNode rendered = ann.post("/api/notes-services/templates/" + template, Map.of("name", "<Ann>")).json();
        assertThat(rendered.get("subject").asText()).isEqualTo("Hello <Ann>");
        assertThat(rendered.get("html").asText()).isEqualTo("<p>&lt;Ann&gt;</p>");
        assertThat(ann.post("/api/notes-services/templates/999999", Map.of()).status()).isEqualTo(404);
    }

    private static JsonNode openApiPaths() {
        return mailroom.client(null).get("/openapi.json").json().get("paths");
    }

    private static JsonNode plugin(String id) {
        for (JsonNode plugin : admin.get("/api/plugins").json()) {
            if (plugin.get("id").asText().equals(id)) {
                return plugin;
            }
        }
        throw new AssertionError("plugin " + id + " is not listed");
    }

    /** A plugin whose PluginRoutes serves the given route expressions. */
    private static PluginJarBuilder withRoutes(String pluginId, String routes) {
        String className = "sample." + pluginId + ".Routes";
        return PluginJarBuilder.plugin(pluginId)
                .source(className, """
                        package sample.%s;

                        import io.mailroom.api.route.PluginRoute;
                        import io.mailroom.api.route.PluginRoute.Access;
                        import io.mailroom.api.route.PluginRoutes;
                        import io.mailroom.api.route.RouteResponse;
                        import java.util.List;
                        import java.util.Map;

                        public class Routes implements PluginRoutes {
                            @Override public String id() { return "%1$s"; }
                            @Override public List<PluginRoute> routes() {
                                return List.of(%s);
                            }
                        }
                        """.formatted(pluginId, routes))
                .service(PluginRoutes.class, className);
    }

    private static String resource(String path) {
        try (InputStream in = PluginRoutesTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
