package io.mailroom.host.filters;

import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.TestPluginSources;
import io.mailroom.testkit.PluginJarBuilder;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filters over HTTP: validation with the path of the fault, a mailbox never saved with a bad
 * filter, a plugin's operator usable while its plugin runs, and a preview that changes nothing.
 */
class FilterRoutesTest {

    static final String SOURCE = """
            package sample.box;

            import io.mailroom.api.ExtensionContext;
            import io.mailroom.api.source.MailSource;
            import io.mailroom.api.source.MailboxAccount;
            import io.mailroom.api.source.SourceConnection;

            public class Source implements MailSource {
                @Override public String id() { return "box"; }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    throw new UnsupportedOperationException("a sample");
                }
            }
            """;


    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJarBuilder.plugin("box").source("sample.box.Source", SOURCE).service(MailSource.class, "sample.box.Source")
                .buildJar(plugins);
        PluginJarBuilder.plugin("ops").source("sample.ops.LengthIs", TestPluginSources.LENGTH_IS)
                .service(FilterOperator.class, "sample.ops.LengthIs").buildJar(plugins);
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    static Jdbi jdbi() {
        return mailroom.mailroom().core().database().jdbi();
    }

    static Map<String, Object> filter(Object query) {
        Map<String, Object> body = new HashMap<>();
        body.put("filter_query", query);
        return body;
    }

    static Map<String, Object> leaf(String field, String op, Object value) {
        return Map.of("field", field, "op", op, "value", value);
    }

    static Map<String, Object> mailbox(String email, Object filterQuery) {
        Map<String, Object> body = new HashMap<>(Map.of("name", email, "email", email, "source", "box"));
        body.put("filter_query", filterQuery);
        return body;
    }

    @Test
    void validate_accepts_a_good_filter_and_names_the_path_of_a_bad_one() {
        Map<String, Object> good = leaf("subject", "contains", "x");
        assertThat(admin.post("/api/filters/validate", filter(Map.of("all", List.of(good)))).status()).isEqualTo(200);

        Reply bad = admin.post("/api/filters/validate", filter(Map.of("all", List.of(good, good, leaf("size", "contains", "x")))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(bad.json().get("details").get("path").asText()).isEqualTo("filter_query.all[2].op");
        assertThat(bad.json().get("message").asText()).contains("contains").doesNotContain("Exception");
    }

    /**
     * Fuzzed bodies for {@code POST /api/filters/validate} (filter-shaped trees, any JSON, text that
     * is not JSON): each is a 200, a 400 naming a path, or a 400 {@code invalid_json} (no field to
     * name when the body is not JSON) or a 413 when it is over the request size limit, never a 500. A handful per run; the
     * compiler itself is fuzzed at length in {@link FilterDslFuzzTest}.
     */
    @Test
    void validate_answers_fuzzed_bodies_with_200_or_400_and_a_path_never_500() {
        io.mailroom.host.fuzz.Fuzzing.forAll("filters/validate over HTTP", 40, java.time.Duration.ofSeconds(10), random -> {
            com.fasterxml.jackson.databind.JsonNode tree = FilterTrees.any(random);
            return switch (random.nextInt(8)) {
                case 0 -> FilterTrees.json(random, 0).toString();
                case 1 -> tree.toString().substring(0, random.nextInt(tree.toString().length() + 1));
                case 2 -> "{\"filter_query\": " + tree + ", \"filter_query\": 1}";
                default -> "{\"filter_query\": " + tree + "}";
            };
        }, body -> {
            Reply reply = admin.post("/api/filters/validate", body);
            assertThat(reply.status()).as(reply.body()).isIn(200, 400, 413); // 413: over the request size limit
            if (reply.status() == 400 && !reply.json().get("error").asText().equals("invalid_json")) {
                assertThat(reply.json().get("error").asText()).isEqualTo("invalid_request");
                assertThat(reply.json().path("details").path("path").asText()).as(reply.body()).isNotBlank();
                assertThat(reply.body()).doesNotContain("Exception");
            }
        });
    }

    @Test
    void a_plugin_operator_is_usable_while_its_plugin_runs() {
        assertThat(admin.post("/api/filters/validate", filter(leaf("subject", "length_is", 5))).status()).isEqualTo(200);
        Reply bad = admin.post("/api/filters/validate", filter(Map.of("not", leaf("subject", "length_is", "five"))));
        assertThat(bad.json().get("details").get("path").asText()).isEqualTo("filter_query.not.value");
        assertThat(bad.json().get("message").asText()).isEqualTo("value must be a length");
    }

    @Test
    void a_mailbox_with_a_bad_filter_is_not_saved_and_a_good_one_is_shown() {
        long before = count("SELECT count(*) FROM mailboxes");
        Reply refused = admin.post("/api/mailboxes", mailbox("bad@example.com",
                Map.of("any", List.of(leaf("date", "after", "soon")))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("details").get("path").asText()).isEqualTo("filter_query.any[0].value");
        assertThat(count("SELECT count(*) FROM mailboxes")).isEqualTo(before);

        Map<String, Object> query = Map.of("field", "from", "op", "domain_in", "value", List.of("acme.com"));
        Reply created = admin.post("/api/mailboxes", mailbox("good@example.com", query));
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("filter_query").get("op").asText()).isEqualTo("domain_in");
        assertThat(created.json().get("sync_known_only").asBoolean()).isFalse();

        Reply badUpdate = admin.put("/api/mailboxes/" + id, Map.of("filter_query", Map.of("all", List.of()), "contacts_only", true));
        assertThat(badUpdate.json().get("details").get("path").asText()).isEqualTo("filter_query.all");
        // nothing of the refused update was kept
        assertThat(admin.get("/api/mailboxes/" + id).json().get("contacts_only").asBoolean()).isFalse();
        assertThat(admin.put("/api/mailboxes/" + id, Map.of("sync_known_only", "yes")).json().get("details").get("path")
                .asText()).isEqualTo("sync_known_only");

        Reply changed = admin.put("/api/mailboxes/" + id, Map.of("sync_known_only", true, "contacts_only", true));
        assertThat(changed.json().get("sync_known_only").asBoolean()).isTrue();
        assertThat(changed.json().get("contacts_only").asBoolean()).isTrue();
        assertThat(changed.json().get("filter_query").get("op").asText()).isEqualTo("domain_in");
        assertThat(admin.put("/api/mailboxes/" + id, filter(null)).json().get("filter_query").isNull()).isTrue();
    }

    @Test
    void a_preview_lists_the_stored_messages_a_filter_would_match_and_changes_nothing() {
        long id = admin.post("/api/mailboxes", mailbox("preview@example.com", null)).json().get("id").asLong();
        store(id, "1", "From: ann@acme.com\r\nSubject: Invoice 7\r\n\r\nplease pay\r\n");
        store(id, "2", "From: eve@elsewhere.org\r\nSubject: Newsletter\r\n\r\nnews\r\n");
        store(id, "3", "From: bob@mail.acme.com\r\nSubject: Hello\r\n\r\nhi\r\n");
        String state = snapshot(id);

        Reply preview = admin.post("/api/mailboxes/" + id + "/filter/preview",
                filter(leaf("from", "domain_in", List.of("acme.com"))));
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.json().get("items").findValuesAsText("subject")).containsExactly("Invoice 7", "Hello");
        assertThat(preview.json().get("scanned").asInt()).isEqualTo(3);

        Reply paged = admin.post("/api/mailboxes/" + id + "/filter/preview?limit=2",
                filter(leaf("subject", "length_is", 5)));
        assertThat(paged.json().get("items").findValuesAsText("subject")).isEmpty();
        String cursor = paged.json().get("next_cursor").asText();
        Reply rest = admin.post("/api/mailboxes/" + id + "/filter/preview?limit=2&cursor=" + cursor,
                filter(leaf("subject", "length_is", 5)));
        assertThat(rest.json().get("items").findValuesAsText("subject")).containsExactly("Hello");
        assertThat(rest.json().get("next_cursor").isNull()).isTrue();

        assertThat(admin.post("/api/mailboxes/" + id + "/filter/preview", filter(leaf("nope", "equals", "x")))
                .json().get("details").get("path").asText()).isEqualTo("filter_query.field");
        assertThat(snapshot(id)).isEqualTo(state);
    }

    private static long count(String sql) {
        return jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private static void store(long mailbox, String key, String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        String hash = "test-" + mailbox + "-" + key;
        jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)", hash, bytes.length, bytes);
            handle.execute("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, size, subject, "
                    + "from_email) VALUES (?, 'INBOX', 1, ?, ?, ?, ?, ?)", mailbox, key, hash, bytes.length,
                    raw.substring(raw.indexOf("Subject: ") + 9, raw.indexOf("\r\n\r\n")),
                    raw.substring(6, raw.indexOf("\r\n")));
        });
    }

    /** Everything a preview could have changed: the mailbox's messages, skips, polls and the mailbox row. */
    private static String snapshot(long mailbox) {
        return jdbi().withHandle(handle -> handle.createQuery("SELECT (SELECT coalesce(json_agg(m ORDER BY m.id)::text, '') "
                + "FROM messages m WHERE m.mailbox_id = :id) || (SELECT count(*) FROM skipped WHERE mailbox_id = :id)::text "
                + "|| (SELECT count(*) FROM polls WHERE mailbox_id = :id)::text "
                + "|| (SELECT row_to_json(b)::text FROM mailboxes b WHERE b.id = :id)")
                .bind("id", mailbox).mapTo(String.class).one());
    }
}
