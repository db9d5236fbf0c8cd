package io.mailroom.host.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rule's dry run over stored mail: the matches with the actions that would run and no secret,
 * paged, over the owner's mailboxes for a rule for all of them, and nothing changed anywhere.
 * Last, with the plugins of its operator and action disabled, a rule says why it cannot run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RulePreviewTest {

    static final String KEY = "k-5b1e-never-shown";

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static String annToken;
    static ApiClient admin;
    static ApiClient ann;
    static long support;
    static long sales;
    static long bobs;

    @BeforeAll
    static void start() throws Exception {
        mailroom = RulePlugins.start(dir);
        admin = mailroom.admin();
        long annId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann@example.com")).json().get("id").asLong();
        long bobId = admin.post("/api/users", Map.of("name", "Bob", "email", "bob@example.com")).json().get("id").asLong();
        annToken = admin.post("/api/tokens", Map.of("user_id", annId)).json().get("token").asText();
        ann = mailroom.client(annToken);
        ApiClient bob = mailroom.client(admin.post("/api/tokens", Map.of("user_id", bobId)).json().get("token").asText());
        support = mailbox(ann, "support@ann.example");
        sales = mailbox(ann, "sales@ann.example");
        bobs = mailbox(bob, "inbox@bob.example");
        RulePlugins.store(jdbi(), support, "1", "From: ann@acme.com\r\nSubject: Invoice 7\r\n\r\nplease pay\r\n");
        RulePlugins.store(jdbi(), support, "2", "From: eve@elsewhere.org\r\nSubject: Newsletter\r\n\r\nnews\r\n");
        RulePlugins.store(jdbi(), support, "3", "From: bob@mail.acme.com\r\nSubject: Hello\r\n\r\nhi\r\n");
        RulePlugins.store(jdbi(), sales, "1", "From: cid@acme.com\r\nSubject: Order\r\n\r\none\r\n");
        RulePlugins.store(jdbi(), bobs, "1", "From: dan@acme.com\r\nSubject: Bob's own\r\n\r\nmine\r\n");
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    static Jdbi jdbi() {
        return mailroom.mailroom().core().database().jdbi();
    }

    /** Disabled, so no scheduled sync runs during a test and changes a row a snapshot holds. */
    static long mailbox(ApiClient owner, String email) {
        Reply created = owner.post("/api/mailboxes", Map.of("name", email, "email", email, "source", "box", "enabled", false));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    static Map<String, Object> rule(Long mailbox, Object condition) {
        Map<String, Object> body = new HashMap<>();
        body.put("mailbox_id", mailbox);
        body.put("name", "preview me");
        body.put("condition", condition);
        body.put("actions", List.of(Map.of("type", "label", "data", Map.of("tag", "acme")),
                Map.of("type", "notify", "data", Map.of("to", List.of("boss@ann.example", "desk@ann.example"),
                        "text", "from acme", "key", KEY))));
        return body;
    }

    static long create(Map<String, Object> rule) {
        Reply created = ann.post("/api/rules", rule);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    @Test
    @Order(1)
    void a_preview_lists_the_matches_with_the_actions_that_would_run_and_changes_nothing() {
        long id = create(rule(support, Map.of("field", "from", "op", "domain_in", "value", List.of("acme.com"))));
        String before = everyTable();

        Reply preview = ann.post("/api/rules/" + id + "/preview", null);

        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        JsonNode body = preview.json();
        assertThat(body.get("items").findValuesAsText("subject")).containsExactly("Invoice 7", "Hello");
        assertThat(body.get("scanned").asInt()).isEqualTo(3);
        assertThat(body.get("problem").isNull()).isTrue();
        JsonNode actions = body.get("items").get(0).get("actions");
        assertThat(actions.get(0).get("type").asText()).isEqualTo("label");
        assertThat(actions.get(0).get("summary").asText()).isEqualTo("tag: acme");
        assertThat(actions.get(0).get("sends_mail").asBoolean()).isFalse();
        assertThat(actions.get(1).get("type").asText()).isEqualTo("notify");
        assertThat(actions.get(1).get("summary").asText())
                .isEqualTo("to: boss@ann.example, desk@ann.example; text: from acme; key: set; copies: 1");
        assertThat(actions.get(1).get("sends_mail").asBoolean()).isTrue();
        assertThat(preview.body()).doesNotContain(KEY);

        Reply first = ann.post("/api/rules/" + id + "/preview?limit=2", null);
        assertThat(first.json().get("items").findValuesAsText("subject")).containsExactly("Invoice 7");
        Reply rest = ann.post("/api/rules/" + id + "/preview?limit=2&cursor=" + first.json().get("next_cursor").asText(), null);
        assertThat(rest.json().get("items").findValuesAsText("subject")).containsExactly("Hello");
        assertThat(rest.json().get("next_cursor").isNull()).isTrue();
        assertThat(ann.post("/api/rules/" + id + "/preview?limit=201", null).json().get("details").get("path").asText())
                .isEqualTo("limit");
        assertThat(everyTable()).as("no row of any table changed (no outbox row: no mail)").isEqualTo(before);

        // an inactive rule can be tried before it is switched on
        ann.put("/api/rules/" + id, Map.of("active", false));
        String inactive = everyTable();
        assertThat(ann.post("/api/rules/" + id + "/preview", null).json().get("items")).hasSize(2);

        assertThat(everyTable()).isEqualTo(inactive);
        assertThat(before).isNotEqualTo(inactive); // the snapshot does see a change
    }

    @Test
    @Order(2)
    void a_rule_for_all_mailboxes_previews_every_mailbox_of_its_owner_and_no_other() {
        long id = create(rule(null, null));
        String before = everyTable();

        JsonNode body = ann.post("/api/rules/" + id + "/preview", null).json();

        assertThat(body.get("items").findValuesAsText("subject")).containsExactly("Invoice 7", "Newsletter", "Hello", "Order");
        assertThat(body.get("items").findValues("mailbox_id").stream().map(JsonNode::asLong).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(support, sales);
        assertThat(everyTable()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void with_its_operator_and_action_plugins_disabled_a_rule_says_why_it_cannot_run() {
        long id = create(rule(support, Map.of("not", Map.of("field", "subject", "op", "length_is", "value", 5))));

        mailroom.restart(Map.of("mailroom.plugins.disabled", "ops,acts"));
        ann = mailroom.client(annToken);

        JsonNode shown = ann.get("/api/rules/" + id).json();
        assertThat(shown.get("problem").asText()).contains("condition.not.op").contains("length_is")
                .contains("action 1 (notify) is not available");
        assertThat(shown.get("actions").get(1).get("data").get("key_set").asBoolean()).isTrue();
        assertThat(ann.get("/api/rules/" + id).body()).doesNotContain(KEY);

        JsonNode preview = ann.post("/api/rules/" + id + "/preview", null).json();
        assertThat(preview.get("items")).isEmpty();
        assertThat(preview.get("problem").asText()).contains("length_is");

        ActiveRule active = mailroom.mailroom().core().ruleBook().rulesFor(support).stream().filter(r -> r.id() == id)
                .findFirst().orElseThrow();
        assertThat(active.condition()).isNull();
        assertThat(active.problem()).contains("length_is");
    }

    /** A fingerprint of every row of every table but those the server itself touches over time. */
    private static String everyTable() {
        return jdbi().withHandle(handle -> {
            List<String> tables = handle.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                    + "'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'qrtz%' AND table_name NOT IN "
                    + "('api_tokens', 'push_leases', 'service_state', 'flyway_schema_history') ORDER BY table_name")
                    .mapTo(String.class).list();
            assertThat(tables).contains("rules", "messages", "outbox");
            StringBuilder fingerprint = new StringBuilder();
            for (String table : tables) {
                fingerprint.append(table).append('=').append(handle.createQuery("SELECT md5(coalesce(string_agg(t::text, "
                        + "'|' ORDER BY t::text), '')) FROM " + table + " t").mapTo(String.class).one()).append('\n');
            }
            return fingerprint.toString();
        });
    }
}
