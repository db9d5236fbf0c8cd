package io.mailroom.host.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/rules} over HTTP with real plugins serving the actions and an operator: the
 * resource, who may see and change which rule, every refused field with its path (and nothing
 * stored), and secret action data sealed and never shown.
 */
class RuleRoutesTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static ApiClient ann;
    static ApiClient bob;
    static long annId;
    static long annInbox;
    static long bobInbox;

    @BeforeAll
    static void start() throws Exception {
        mailroom = RulePlugins.start(dir);
        admin = mailroom.admin();
        annId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann@example.com")).json().get("id").asLong();
        long bobId = admin.post("/api/users", Map.of("name", "Bob", "email", "bob@example.com")).json().get("id").asLong();
        ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", annId)).json().get("token").asText());
        bob = mailroom.client(admin.post("/api/tokens", Map.of("user_id", bobId)).json().get("token").asText());
        annInbox = mailbox(ann, "inbox@ann.example");
        bobInbox = mailbox(bob, "inbox@bob.example");
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    static Jdbi jdbi() {
        return mailroom.mailroom().core().database().jdbi();
    }

    static long mailbox(ApiClient owner, String email) {
        Reply created = owner.post("/api/mailboxes", Map.of("name", email, "email", email, "source", "box"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    static Map<String, Object> leaf(String field, String op, Object value) {
        return Map.of("field", field, "op", op, "value", value);
    }

    static Map<String, Object> action(String type, Map<String, Object> data) {
        return Map.of("type", type, "data", data);
    }

    static Map<String, Object> rule(Long mailbox, String name, Object condition, List<?> actions) {
        Map<String, Object> body = new HashMap<>();
        body.put("mailbox_id", mailbox);
        body.put("name", name);
        body.put("condition", condition);
        body.put("actions", actions);
        return body;
    }

    static Map<String, Object> label(String tag) {
        return action("label", Map.of("tag", tag));
    }

    @Test
    void a_rule_is_created_read_listed_changed_and_deleted() {
        Reply created = ann.post("/api/rules", rule(annInbox, "Invoices", Map.of("all", List.of(
                leaf("from", "domain_in", List.of("acme.com")), leaf("subject", "length_is", 7))),
                List.of(label("invoice"), action("notify", Map.of("to", List.of("boss@ann.example"), "text", "look")))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode rule = created.json();
        long id = rule.get("id").asLong();
        assertThat(rule.get("mailbox_id").asLong()).isEqualTo(annInbox);
        assertThat(rule.get("owner_user_id").asLong()).isEqualTo(annId);
        assertThat(rule.get("name").asText()).isEqualTo("Invoices");
        assertThat(rule.get("condition").get("all").get(1).get("op").asText()).isEqualTo("length_is");
        assertThat(rule.get("priority").asInt()).isEqualTo(100);
        assertThat(rule.get("active").asBoolean()).isTrue();
        assertThat(rule.get("stop").asBoolean()).isFalse();
        assertThat(rule.get("problem").isNull()).isTrue();
        assertThat(rule.get("actions").get(0).get("type").asText()).isEqualTo("label");
        JsonNode notify = rule.get("actions").get(1).get("data");
        assertThat(notify.get("to").get(0).asText()).isEqualTo("boss@ann.example");
        assertThat(notify.get("copies").asInt()).as("a default is filled in, typed").isEqualTo(1);
        assertThat(notify.get("key_set").asBoolean()).isFalse();

        assertThat(ann.get("/api/rules/" + id).json()).isEqualTo(rule);
        assertThat(ann.get("/api/rules").json().get("items").findValuesAsText("name")).contains("Invoices");

        Reply changed = ann.put("/api/rules/" + id, Map.of("priority", 5, "stop", true, "active", false));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("priority").asInt()).isEqualTo(5);
        assertThat(changed.json().get("stop").asBoolean()).isTrue();
        assertThat(changed.json().get("active").asBoolean()).isFalse();
        assertThat(changed.json().get("name").asText()).as("a field left out keeps its value").isEqualTo("Invoices");
        assertThat(changed.json().get("actions")).isEqualTo(rule.get("actions"));

        Map<String, Object> cleared = new HashMap<>();
        cleared.put("condition", null);
        cleared.put("mailbox_id", null);
        cleared.put("actions", List.of(label("all")));
        JsonNode global = ann.put("/api/rules/" + id, cleared).json();
        assertThat(global.get("condition").isNull()).isTrue();
        assertThat(global.get("mailbox_id").isNull()).isTrue();
        assertThat(global.get("actions")).hasSize(1);

        assertThat(ann.delete("/api/rules/" + id).status()).isEqualTo(204);
        assertThat(ann.get("/api/rules/" + id).status()).isEqualTo(404);
        assertThat(ann.delete("/api/rules/" + id).status()).isEqualTo(404);
    }

    @Test
    void a_user_sees_and_changes_only_the_rules_of_their_own_mailboxes() {
        long annRule = ann.post("/api/rules", rule(annInbox, "ann's", null, List.of(label("a")))).json().get("id").asLong();
        long annGlobal = ann.post("/api/rules", rule(null, "ann's for all", null, List.of(label("a")))).json().get("id").asLong();
        long bobRule = bob.post("/api/rules", rule(bobInbox, "bob's", null, List.of(label("b")))).json().get("id").asLong();

        for (long id : List.of(annRule, annGlobal)) {
            assertThat(bob.get("/api/rules/" + id).status()).isEqualTo(404);
            assertThat(bob.put("/api/rules/" + id, Map.of("name", "mine now")).status()).isEqualTo(404);
            assertThat(bob.post("/api/rules/" + id + "/preview", null).status()).isEqualTo(404);
            assertThat(bob.delete("/api/rules/" + id).status()).isEqualTo(404);
        }
        Reply intoAnns = bob.post("/api/rules", rule(annInbox, "sneaky", null, List.of(label("b"))));
        assertThat(intoAnns.status()).isEqualTo(404);
        assertThat(bob.put("/api/rules/" + bobRule, Map.of("mailbox_id", annInbox)).status()).isEqualTo(404);
        assertThat(bob.get("/api/rules?mailbox_id=" + annInbox).status()).isEqualTo(404);

        List<String> bobSees = bob.get("/api/rules").json().get("items").findValuesAsText("name");
        assertThat(bobSees).contains("bob's").doesNotContain("ann's", "ann's for all");
        assertThat(ann.get("/api/rules").json().get("items").findValuesAsText("name")).contains("ann's", "ann's for all")
                .doesNotContain("bob's");
        assertThat(ann.get("/api/rules?mailbox_id=" + annInbox).json().get("items").findValuesAsText("name"))
                .contains("ann's").doesNotContain("ann's for all");
        assertThat(admin.get("/api/rules?limit=500").json().get("items").findValuesAsText("name"))
                .contains("ann's", "ann's for all", "bob's");
        assertThat(admin.get("/api/rules/" + annRule).status()).isEqualTo(200);

        // a superadmin's rule on Ann's mailbox is Ann's to see; she may not make it run on all of the superadmin's mailboxes
        long adminsOnAnn = admin.post("/api/rules", rule(annInbox, "set by admin", null, List.of(label("x"))))
                .json().get("id").asLong();
        assertThat(ann.get("/api/rules/" + adminsOnAnn).status()).isEqualTo(200);
        Map<String, Object> toAll = new HashMap<>();
        toAll.put("mailbox_id", null);
        Reply refused = ann.put("/api/rules/" + adminsOnAnn, toAll);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("details").get("path").asText()).isEqualTo("mailbox_id");
        assertThat(admin.get("/api/rules/" + adminsOnAnn).json().get("mailbox_id").asLong()).isEqualTo(annInbox);
    }

    @Test
    void every_refused_field_is_named_by_its_path_and_nothing_is_stored() {
        Map<String, Object> notify = Map.of("to", List.of("a@x.example"), "text", "t");
        Map<String, Object> unknownTop = rule(annInbox, "r", null, List.of(label("a")));
        unknownTop.put("owner", 3);
        Map<String, Object> noName = rule(annInbox, null, null, List.of(label("a")));
        Map<String, Object> noActions = rule(annInbox, "r", null, null);
        noActions.remove("actions");
        Map<String, Object> badPriority = rule(annInbox, "r", null, List.of(label("a")));
        badPriority.put("priority", "high");
        Map<String, Object> hugePriority = rule(annInbox, "r", null, List.of(label("a")));
        hugePriority.put("priority", 5_000_000);
        Map<String, Object> badStop = rule(annInbox, "r", null, List.of(label("a")));
        badStop.put("stop", "yes");
        List<Object> twentyOne = java.util.Collections.nCopies(21, label("a"));
        Map<String, Object> extraKey = new HashMap<>(label("a"));
        extraKey.put("when", "now");

        Map<Map<String, Object>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(unknownTop, "owner");
        cases.put(noName, "name");
        cases.put(rule(annInbox, " ", null, List.of(label("a"))), "name");
        cases.put(rule(annInbox, "x".repeat(201), null, List.of(label("a"))), "name");
        cases.put(rule(annInbox, "two\nlines", null, List.of(label("a"))), "name");
        cases.put(rule(annInbox, "r", Map.of("all", List.of(leaf("subject", "contains", "x"), leaf("size", "contains", "x"))),
                List.of(label("a"))), "condition.all[1].op");
        cases.put(rule(annInbox, "r", Map.of("any", List.of(Map.of("not", leaf("subject", "length_is", "five")))),
                List.of(label("a"))), "condition.any[0].not.value");
        cases.put(rule(annInbox, "r", Map.of("all", List.of()), List.of(label("a"))), "condition.all");
        cases.put(noActions, "actions");
        cases.put(rule(annInbox, "r", null, List.of()), "actions");
        cases.put(rule(annInbox, "r", null, twentyOne), "actions");
        cases.put(rule(annInbox, "r", null, List.of(label("a"), action("teleport", Map.of()))), "actions[1].type");
        cases.put(rule(annInbox, "r", null, List.of(label("a"), Map.of("data", Map.of()))), "actions[1].type");
        cases.put(rule(annInbox, "r", null, List.of(extraKey)), "actions[0].when");
        cases.put(rule(annInbox, "r", null, List.of("label")), "actions[0]");
        cases.put(rule(annInbox, "r", null, List.of(Map.of("type", "label", "data", "tag=a"))), "actions[0].data");
        cases.put(rule(annInbox, "r", null, List.of(label("a"), action("notify", Map.of("text", "t")))), "actions[1].data.to");
        cases.put(rule(annInbox, "r", null, List.of(label("a"), action("notify", Map.of("to", "a@x.example", "text", "t")))),
                "actions[1].data.to");
        cases.put(rule(annInbox, "r", null, List.of(label("a"), action("notify", Map.of("to", List.of("nobody"), "text", "t")))),
                "actions[1].data.to");
        cases.put(rule(annInbox, "r", null, List.of(action("notify", Map.of("to", List.of("a@x.example"), "text", "forbidden")))),
                "actions[0].data.text");
        cases.put(rule(annInbox, "r", null, List.of(action("notify", Map.of("to", List.of("a@x.example"), "text", "t",
                "copies", 9)))), "actions[0].data.copies");
        cases.put(rule(annInbox, "r", null, List.of(action("label", Map.of("tag", "a", "colour", "red")))),
                "actions[0].data.colour");
        cases.put(rule(annInbox, "r", null, List.of(action("notify", notify), action("notify", Map.of("to", List.of("a@x.example"),
                "text", "t", "key", 5)))), "actions[1].data.key");
        cases.put(badPriority, "priority");
        cases.put(hugePriority, "priority");
        cases.put(badStop, "stop");
        cases.put(rule(0L + Long.MAX_VALUE / 2, "r", null, List.of(label("a"))), null); // an unknown mailbox: 404

        long before = rulesStored();
        cases.forEach((body, path) -> {
            Reply reply = ann.post("/api/rules", body);
            if (path == null) {
                assertThat(reply.status()).as(reply.body()).isEqualTo(404);
                return;
            }
            assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.json().get("details").get("path").asText()).as(reply.body()).isEqualTo(path);
            assertThat(reply.json().get("message").asText()).doesNotContain("Exception", "io.mailroom");
        });
        assertThat(rulesStored()).isEqualTo(before);

        Reply unknownType = ann.post("/api/rules", rule(annInbox, "r", null, List.of(action("teleport", Map.of()))));
        assertThat(unknownType.json().get("message").asText()).contains("teleport").contains("label, notify");
        assertThat(ann.post("/api/rules", unknownTop).json().get("error").asText()).isEqualTo("unknown_field");
        assertThat(ann.post("/api/rules", rule(annInbox, "r", null, List.of(action("notify", Map.of("to", List.of("nobody"),
                "text", "t"))))).json().get("message").asText()).isEqualTo("\"nobody\" is not an address");

        // an update that is refused leaves the rule as it was
        long id = ann.post("/api/rules", rule(annInbox, "kept", null, List.of(label("a")))).json().get("id").asLong();
        JsonNode stored = ann.get("/api/rules/" + id).json();
        Reply badUpdate = ann.put("/api/rules/" + id, Map.of("name", "renamed", "actions",
                List.of(action("notify", Map.of("to", List.of("a@x.example"))))));
        assertThat(badUpdate.json().get("details").get("path").asText()).isEqualTo("actions[0].data.text");
        assertThat(ann.put("/api/rules/" + id, Map.of("id", 7)).json().get("details").get("path").asText()).isEqualTo("id");
        assertThat(ann.get("/api/rules/" + id).json()).isEqualTo(stored);
    }

    @Test
    void secret_data_are_sealed_at_rest_never_shown_and_kept_when_an_update_leaves_them_out() {
        String key = "k-7f3a9c-secret";
        Reply created = ann.post("/api/rules", rule(annInbox, "signed", null, List.of(label("s"),
                action("notify", Map.of("to", List.of("a@x.example"), "text", "t", "key", key)))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(key);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("actions").get(1).get("data").get("key_set").asBoolean()).isTrue();
        assertThat(created.json().get("actions").get(1).get("data").has("key")).isFalse();
        assertThat(storedActions(id)).doesNotContain(key).contains("\"secrets\": [\"key\"]").contains("\"key\": \"v1:");
        assertThat(ann.get("/api/rules/" + id).body()).doesNotContain(key);
        assertThat(ann.get("/api/rules").body()).doesNotContain(key);
        assertThat(ann.post("/api/rules/" + id + "/preview", null).body()).doesNotContain(key);

        // the text changes; the key, left out, stays
        Reply changed = ann.put("/api/rules/" + id, Map.of("actions", List.of(label("s"),
                action("notify", Map.of("to", List.of("a@x.example"), "text", "changed")))));
        assertThat(changed.json().get("actions").get(1).get("data").get("key_set").asBoolean()).isTrue();
        assertThat(changed.json().get("actions").get(1).get("data").get("text").asText()).isEqualTo("changed");
        assertThat(openedKey(id, 1)).isEqualTo(key);

        // an update of other fields keeps the sealed data as they are
        ann.put("/api/rules/" + id, Map.of("name", "renamed"));
        assertThat(openedKey(id, 1)).isEqualTo(key);

        // a new key replaces it; an explicit null removes it
        ann.put("/api/rules/" + id, Map.of("actions", List.of(label("s"), action("notify", Map.of("to", List.of("a@x.example"),
                "text", "t", "key", "k-2")))));
        assertThat(openedKey(id, 1)).isEqualTo("k-2");
        Map<String, Object> noKey = new HashMap<>(Map.of("to", List.of("a@x.example"), "text", "t"));
        noKey.put("key", null);
        Reply removed = ann.put("/api/rules/" + id, Map.of("actions", List.of(label("s"), action("notify", noKey))));
        assertThat(removed.json().get("actions").get(1).get("data").get("key_set").asBoolean()).isFalse();

        // a key is kept only where the same action stays: moved to another position, it must be given again
        ann.put("/api/rules/" + id, Map.of("actions", List.of(label("s"), action("notify", Map.of("to", List.of("a@x.example"),
                "text", "t", "key", "k-3")))));
        Reply moved = ann.put("/api/rules/" + id, Map.of("actions", List.of(action("notify", Map.of("to", List.of("a@x.example"),
                "text", "t")), label("s"))));
        assertThat(moved.json().get("actions").get(0).get("data").get("key_set").asBoolean()).isFalse();
    }

    private static String storedActions(long id) {
        return jdbi().withHandle(handle -> handle.createQuery("SELECT actions::text FROM rules WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
    }

    /** The key the processing chain would get for this rule's action. */
    private static String openedKey(long id, int index) {
        ActiveRule rule = mailroom.mailroom().core().ruleBook().rulesFor(annInbox).stream().filter(r -> r.id() == id)
                .findFirst().orElseThrow();
        return rule.actions().get(index).data().get("key");
    }

    private static long rulesStored() {
        return jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM rules").mapTo(Long.class).one());
    }
}
