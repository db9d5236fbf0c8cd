package io.mailroom.host.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.TestPluginSources;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third party's {@code FilterOperator} and {@code RuleAction}, each in its own plugin jar built
 * by the testkit, used in a rule made over HTTP: a sync runs the rule on the mail it stores; the
 * matching message carries the plugin action's tag and the built-in {@code tag}, and its
 * {@code processing} tells what ran (with the idempotency key the plugin action got); the other
 * message got nothing.
 */
class PluginRuleChainTest {



    /** A third party's action: tags the message with its label and says which idempotency key it got. */
    static final String ACTION = """
            package sample.stamp;

            import io.mailroom.api.*;
            import io.mailroom.api.rule.ActionCall;
            import io.mailroom.api.rule.RuleAction;
            import java.util.List;

            public class Stamp implements RuleAction {
                @Override public String id() { return "stamp"; }
                @Override public List<SettingDescriptor> dataSettings() {
                    return List.of(SettingDescriptor.required("label", SettingType.STRING, "what to stamp"));
                }
                @Override public Outcome run(ActionCall call, ExtensionContext context) {
                    return Outcome.done("stamped with key " + call.idempotencyKey())
                        .withEffects(new Effect.Tag("stamp-" + call.data().get("label")));
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void a_plugin_operator_and_a_plugin_action_run_in_a_rule_made_over_http() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJarBuilder.plugin("drawer").source("sample.shelf.Source", TestPluginSources.emlDirectorySource("drawer"))
                .service(MailSource.class, "sample.shelf.Source").buildJar(plugins);
        PluginJarBuilder.plugin("measure").source("sample.ops.LengthIs", TestPluginSources.LENGTH_IS)
                .service(FilterOperator.class, "sample.ops.LengthIs").buildJar(plugins);
        PluginJarBuilder.plugin("stamp").source("sample.stamp.Stamp", ACTION)
                .service(RuleAction.class, "sample.stamp.Stamp").buildJar(plugins);
        Path drawer = Files.createDirectories(dir.resolve("drawer"));
        put(drawer, 1, "Invoice 7");    // 9 characters: the rule's condition holds
        put(drawer, 2, "Hello there");  // 11: it does not
        System.setProperty("drawer.dir", drawer.toString());
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            ApiClient admin = mailroom.admin();
            Reply created = admin.post("/api/mailboxes", Map.of("name", "desk", "email", "desk@example.com",
                    "source", "drawer"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long mailbox = created.json().get("id").asLong();
            Map<String, Object> rule = new HashMap<>(Map.of("mailbox_id", mailbox, "name", "Stamp invoices",
                    "condition", Map.of("field", "subject", "op", "length_is", "value", 9),
                    "actions", List.of(Map.of("type", "stamp", "data", Map.of("label", "vip")),
                            Map.of("type", "tag", "data", Map.of("tag", "invoice")))));
            Reply made = admin.post("/api/rules", rule);
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            long ruleId = made.json().get("id").asLong();

            Reply poll = admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);
            assertThat(poll.status()).as(poll.body()).isEqualTo(200);
            assertThat(poll.json().get("stored").asInt()).isEqualTo(2);

            JsonNode invoice = message(admin, mailbox, "Invoice 7");
            assertThat(strings(invoice.get("tags"))).containsExactlyInAnyOrder("stamp-vip", "invoice");
            long id = invoice.get("id").asLong();
            List<String> steps = new ArrayList<>();
            for (JsonNode step : invoice.get("processing")) {
                steps.add(step.get("step").asText() + " " + step.path("action").asText("-") + " " + step.get("status").asText()
                        + " " + step.path("action_index").asText("-"));
            }
            assertThat(steps).startsWith("rule - done -", "action stamp done 0", "action tag done 1");
            assertThat(invoice.get("processing").get(1).get("detail").asText())
                    .isEqualTo("stamped with key rule:" + ruleId + ":0:message:" + id);
            assertThat(invoice.get("processing").get(0).get("rule_id").asLong()).isEqualTo(ruleId);

            JsonNode hello = message(admin, mailbox, "Hello there");
            assertThat(hello.get("tags")).isEmpty();
            for (JsonNode step : hello.get("processing")) {
                assertThat(step.get("step").asText()).as(hello.get("processing").toString()).isNotIn("rule", "action");
            }
        } finally {
            System.clearProperty("drawer.dir");
        }
    }

    private static void put(Path drawer, long uid, String subject) throws Exception {
        Files.writeString(drawer.resolve(uid + ".eml"), "From: Ann <ann@acme.example>\r\nTo: desk@example.com\r\n"
                + "Subject: " + subject + "\r\nMessage-ID: <" + uid + "@drawer.example>\r\n"
                + "Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nHello " + uid + "\r\n");
    }

    private static JsonNode message(ApiClient admin, long mailbox, String subject) {
        for (JsonNode item : admin.get("/api/messages?mailbox_id=" + mailbox).json().get("items")) {
            if (item.get("subject").asText().equals(subject)) {
                return admin.get("/api/messages/" + item.get("id").asLong()).json();
            }
        }
        throw new AssertionError("no message " + subject);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
