package io.mailroom.host.rules.actions;

import io.mailroom.api.Effect;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.InvalidSettingException;
import io.mailroom.api.Outcome;
import io.mailroom.api.Settings;
import io.mailroom.api.message.Address;
import io.mailroom.api.message.Classification;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.plugins.SettingsException;
import io.mailroom.host.plugins.SettingsValidator;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import io.mailroom.host.templates.TemplateRenderer;
import io.mailroom.host.webhooks.WebhookTiming;
import io.mailroom.host.webhooks.Webhooks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The built-in actions' data are checked as the rules API checks them ({@link SettingsValidator},
 * then {@link RuleAction#checkData}), and the actions that change the message or the server
 * return effects for the host to apply rather than doing the work.
 */
class BuiltInActionsTest {

    static Database database;
    static BuiltInActions actions;
    static long template;

    static final MessageView MESSAGE = new MessageView(41, 5, "INBOX", "m41@customer.example", null, List.of(), 9L,
            new Address("Carla", "carla@customer.example"), List.of(new Address("", "support@example.com")), List.of(),
            "Invoice", Instant.parse("2026-11-30T09:30:00Z"), Map.of(), "Please pay.", Classification.NORMAL, Set.of(),
            Set.of(), List.of());

    static final ExtensionContext CONTEXT = new ExtensionContext() {
        @Override
        public String pluginId() {
            return "mailroom";
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public io.mailroom.api.HttpTransport http() {
            throw new UnsupportedOperationException();
        }

        @Override
        public System.Logger logger(Class<?> type) {
            return System.getLogger(type.getName());
        }
    };

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        template = database.jdbi().withHandle(h -> {
            long user = h.createUpdate("INSERT INTO users (name, email, role) VALUES ('Ann', 'ann@example.com', 'user')")
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            return h.createUpdate("INSERT INTO templates (user_id, name, text_body) VALUES (?, 'ack', 'Thanks')")
                    .bind(0, user).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        });
        Webhooks webhooks = new Webhooks(database.jdbi(), new SecretSealer(MasterKeys.of(List.of(new byte[32]))),
                null, Clock.systemUTC(), new WebhookTiming(false, Duration.ofSeconds(5), Duration.ofSeconds(30), 3));
        actions = new BuiltInActions(database.jdbi(), new TemplateRenderer(), webhooks.queue(),
                new PrivateAddressPolicy(false), sink -> sink.equals("ticketing"));
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    static RuleAction action(String id) {
        return actions.all().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    /** What the rules API does with {@code actions[i].data}: declared types first, then the action's own checks. */
    static Settings validated(String id, Map<String, ?> data) {
        RuleAction action = action(id);
        Settings settings = Settings.of(SettingsValidator.of(action).validate("data", data));
        action.checkData(settings);
        return settings;
    }

    static Outcome run(String id, Map<String, ?> data) {
        return action(id).run(new ActionCall(MESSAGE, validated(id, data), 1, 0, "rule:1:0:message:41"), CONTEXT);
    }

    static String problemPath(Runnable call) {
        try {
            call.run();
        } catch (SettingsException e) {
            return e.problems().getFirst().path();
        } catch (InvalidSettingException e) {
            return "data." + e.setting();
        }
        throw new AssertionError("no problem found");
    }

    @Test
    void mailroom_ships_these_actions() {
        assertThat(actions.all()).extracting(RuleAction::id).containsExactly("auto_reply", "forward", "tag", "untag",
                "move", "mark_seen", "flag", "assign_sink", "webhook");
        assertThat(actions.all()).filteredOn(RuleAction::sendsMail).extracting(RuleAction::id)
                .containsExactly("auto_reply", "forward");
        assertThat(action("webhook").dataSettings()).filteredOn(s -> s.secret()).extracting(s -> s.name())
                .containsExactly("secret");
    }

    @Test
    void tag_untag_move_mark_seen_flag_and_assign_sink_return_effects_and_do_nothing_themselves() {
        assertThat(run("tag", Map.of("tag", " urgent ")).effects()).containsExactly(new Effect.Tag("urgent"));
        assertThat(run("untag", Map.of("tag", "new")).effects()).containsExactly(new Effect.Untag("new"));
        assertThat(run("move", Map.of("folder", "INBOX/Done")).effects()).containsExactly(new Effect.MoveTo("INBOX/Done"));
        assertThat(run("mark_seen", Map.of()).effects()).containsExactly(new Effect.MarkSeen());
        assertThat(run("flag", Map.of()).effects()).containsExactly(new Effect.Flag());
        assertThat(run("assign_sink", Map.of("sink", "ticketing")).effects())
                .containsExactly(new Effect.AssignSink("ticketing"));
        assertThat(run("tag", Map.of("tag", "urgent")).status()).isEqualTo(Outcome.Status.DONE);
    }

    @Test
    void auto_reply_needs_a_template_that_exists() {
        validated("auto_reply", Map.of("template_id", template, "reply_all", true));

        assertThat(problemPath(() -> validated("auto_reply", Map.of("template_id", 987654))))
                .isEqualTo("data.template_id");
        assertThat(problemPath(() -> validated("auto_reply", Map.of()))).isEqualTo("data.template_id");
        assertThat(problemPath(() -> validated("auto_reply", Map.of("template_id", "seven")))).isEqualTo("data.template_id");
    }

    @Test
    void forward_needs_addresses_each_of_which_parses() {
        Settings ok = validated("forward", Map.of("to", List.of("Gina <gina@partner.example>", "hank@partner.example")));
        assertThat(ok.get("mode")).isEqualTo("inline");
        assertThat(ok.get("attachments")).isEqualTo("true");

        assertThat(problemPath(() -> validated("forward", Map.of("to", List.of("gina@partner.example", "not an address")))))
                .isEqualTo("data.to");
        assertThatThrownBy(() -> validated("forward", Map.of("to", List.of("a@b.example, c@d.example"))))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("not one address");
        assertThat(problemPath(() -> validated("forward", Map.of("to", List.of("gina@partner.example"), "mode", "bcc"))))
                .isEqualTo("data.mode");
        assertThat(problemPath(() -> validated("forward", Map.of()))).isEqualTo("data.to");
    }

    @Test
    void tags_folders_and_sinks_are_short_lines_and_a_sink_must_be_known() {
        assertThat(problemPath(() -> validated("tag", Map.of("tag", "x".repeat(65))))).isEqualTo("data.tag");
        validated("tag", Map.of("tag", "x".repeat(64)));
        assertThat(problemPath(() -> validated("tag", Map.of("tag", "two\nlines")))).isEqualTo("data.tag");
        assertThat(problemPath(() -> validated("untag", Map.of("tag", "bell\u0007")))).isEqualTo("data.tag");
        assertThat(problemPath(() -> validated("move", Map.of()))).isEqualTo("data.folder");
        assertThat(problemPath(() -> validated("move", Map.of("folder", "a\r\nb")))).isEqualTo("data.folder");
        assertThat(problemPath(() -> validated("assign_sink", Map.of("sink", "nowhere")))).isEqualTo("data.sink");
        assertThat(problemPath(() -> validated("mark_seen", Map.of("folder", "x")))).isEqualTo("data.folder");
    }

    @Test
    void a_webhook_needs_an_http_url_without_credentials_on_a_public_host_and_a_secret() {
        Map<String, Object> data = new HashMap<>(Map.of("url", "https://hooks.example.com/mail", "secret", "s3cret"));
        assertThat(problemPath(() -> validated("webhook", Map.of("url", "https://hooks.example.com/mail"))))
                .isEqualTo("data.secret");
        data.put("url", "ftp://hooks.example.com/mail");
        assertThat(problemPath(() -> validated("webhook", data))).isEqualTo("data.url");
        data.put("url", "https://user:pw@hooks.example.com/mail");
        assertThat(problemPath(() -> validated("webhook", data))).isEqualTo("data.url");
        data.put("url", "http://169.254.169.254/latest");
        assertThatThrownBy(() -> validated("webhook", data)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("link-local");
        data.put("url", "not a url");
        assertThat(problemPath(() -> validated("webhook", data))).isEqualTo("data.url");
    }
}
