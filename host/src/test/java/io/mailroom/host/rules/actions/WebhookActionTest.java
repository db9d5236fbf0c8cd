package io.mailroom.host.rules.actions;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.InvalidSettingException;
import io.mailroom.api.Outcome;
import io.mailroom.api.Settings;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.plugins.JdkHttpTransport;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import io.mailroom.host.templates.TemplateRenderer;
import io.mailroom.host.webhooks.WebhookTiming;
import io.mailroom.host.webhooks.Webhooks;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code webhook} action queues a delivery; the worker, driven by hand with a clock the test
 * moves, POSTs it signed to a local receiver that checks the signature as docs/rule-actions.md
 * tells receivers to, and retries with back-off.
 */
class WebhookActionTest {

    static final String SECRET = "whsec-7f3a9c2e51b84d06";
    static final Instant START = Instant.parse("2026-11-30T10:00:00Z");
    static final Duration BASE = Duration.ofSeconds(30);

    Database database;
    Jdbi jdbi;
    MovableClock clock;
    HttpServer receiver;
    final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    String answerBody = "";
    long mailbox;

    record Received(Map<String, List<String>> headers, byte[] body, int answered) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    @BeforeEach
    void start() throws IOException {
        database = TestDatabase.create();
        jdbi = database.jdbi();
        clock = new MovableClock(START);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Integer planned = answers.poll();
            int status = planned == null ? 204 : planned;
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, status));
            byte[] answer = answerBody.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        receiver.start();
        long user = jdbi.withHandle(h -> h.createUpdate("INSERT INTO users (name, email, role) "
                + "VALUES ('Ann', 'ann@example.com', 'user')").executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        mailbox = jdbi.withHandle(h -> h.createUpdate("INSERT INTO mailboxes (owner_user_id, name, email, source) "
                + "VALUES (?, 'Support', 'support@example.com', 'imap')").bind(0, user)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        database.close();
    }

    String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    Webhooks webhooks(boolean allowPrivate, int maxAttempts) {
        return new Webhooks(jdbi, new SecretSealer(MasterKeys.of(List.of(key()))),
                new JdkHttpTransport(new PrivateAddressPolicy(allowPrivate)), clock,
                new WebhookTiming(false, Duration.ofSeconds(5), BASE, maxAttempts));
    }

    static RuleAction action(Webhooks webhooks, boolean allowPrivate) {
        return new BuiltInActions(null, new TemplateRenderer(), webhooks.queue(), new PrivateAddressPolicy(allowPrivate),
                sink -> false).all().stream().filter(a -> a.id().equals("webhook")).findFirst().orElseThrow();
    }

    Outcome call(RuleAction action, MessageView message) {
        Settings data = Settings.of(Map.of("url", url(), "secret", SECRET), java.util.Set.of("secret"));
        return action.run(new ActionCall(message, data, 3, 2, "rule:3:2:message:" + message.id()),
                new ExtensionContext() {
                    @Override
                    public String pluginId() {
                        return "mailroom";
                    }

                    @Override
                    public java.time.Clock clock() {
                        return clock;
                    }

                    @Override
                    public io.mailroom.api.HttpTransport http() {
                        throw new UnsupportedOperationException("the action queues; the worker posts");
                    }

                    @Override
                    public System.Logger logger(Class<?> type) {
                        return System.getLogger(type.getName());
                    }
                });
    }

    MessageView message(String key) {
        return StoredMail.store(jdbi, new MessageParser(), mailbox, key);
    }

    Map<String, Object> row(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM webhook_deliveries WHERE idempotency_key = ?")
                .bind(0, key).mapToMap().one());
    }

    /** The check a receiver makes, as docs/rule-actions.md writes it, with the JDK alone. */
    static boolean signatureHolds(String header, byte[] body, String secret, long nowSeconds) throws Exception {
        String t = null;
        String v1 = null;
        for (String item : header.split(",")) {
            String[] pair = item.strip().split("=", 2);
            if (pair[0].equals("t")) {
                t = pair[1];
            } else if (pair[0].equals("v1")) {
                v1 = pair[1];
            }
        }
        if (t == null || v1 == null || Math.abs(nowSeconds - Long.parseLong(t)) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void the_receiver_gets_the_message_as_json_signed_with_the_documented_algorithm() throws Exception {
        Webhooks webhooks = webhooks(true, 5);
        MessageView message = message("hook-1");

        Outcome outcome = call(action(webhooks, true), message);
        assertThat(received).as("queued, not posted by the action").isEmpty();
        assertThat(webhooks.worker().deliverDue()).isEqualTo(1);

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(outcome.detail()).isEqualTo("queued");
        assertThat(received).hasSize(1);
        Received got = received.getFirst();
        assertThat(got.header("Content-Type")).isEqualTo("application/json");
        assertThat(got.header("X-Mailroom-Delivery")).isEqualTo("rule:3:2:message:" + message.id());
        String signature = got.header("X-Mailroom-Signature");
        assertThat(signature).startsWith("t=" + START.getEpochSecond() + ",v1=");
        assertThat(signatureHolds(signature, got.body(), SECRET, START.getEpochSecond())).isTrue();
        assertThat(signatureHolds(signature, got.body(), "another secret", START.getEpochSecond())).isFalse();
        byte[] altered = got.body().clone();
        altered[altered.length - 2] ^= 1;
        assertThat(signatureHolds(signature, altered, SECRET, START.getEpochSecond())).isFalse();
        assertThat(signatureHolds(signature, got.body(), SECRET, START.getEpochSecond() + 3600))
                .as("an old request replayed an hour later").isFalse();

        JsonNode json = new ObjectMapper().readTree(got.body());
        assertThat(json.get("id").asLong()).isEqualTo(message.id());
        assertThat(json.get("mailbox_id").asLong()).isEqualTo(mailbox);
        assertThat(json.get("message_id").asText()).isEqualTo("fire-hook-1@customer.example");
        assertThat(json.get("thread_id").asLong()).isEqualTo(message.threadId());
        assertThat(json.at("/from/email").asText()).isEqualTo("carla@customer.example");
        assertThat(json.at("/from/name").asText()).isEqualTo("Carla Client");
        assertThat(json.at("/to/0/email").asText()).isEqualTo("support@example.com");
        assertThat(json.at("/cc/0/email").asText()).isEqualTo("dan@customer.example");
        assertThat(json.get("subject").asText()).isEqualTo("Printer on fire");
        assertThat(json.get("date").asText()).isEqualTo("2026-11-30T09:30:00Z");
        assertThat(json.get("text").asText()).contains("The printer is on fire.");
        assertThat(json.get("classification").asText()).isEqualTo("normal");
        assertThat(json.get("tags").toString()).isEqualTo("[\"vip\"]");
        assertThat(json.at("/attachments/0/filename").asText()).isEqualTo("photo.pdf");
        assertThat(json.at("/attachments/0/content_type").asText()).startsWith("application/pdf");
        assertThat(json.at("/attachments/0/size").asLong()).isEqualTo(StoredMail.PDF.length);
        assertThat(row("rule:3:2:message:" + message.id())).containsEntry("status", "delivered")
                .containsEntry("attempts", 1);
    }

    @Test
    void a_receiver_failing_twice_then_accepting_gets_exactly_one_accepted_delivery_after_back_off() {
        Webhooks webhooks = webhooks(true, 5);
        MessageView message = message("hook-2");
        answers.addAll(List.of(500, 503, 200));
        call(action(webhooks, true), message);

        assertThat(webhooks.worker().deliverDue()).as("first attempt: 500").isEqualTo(1);
        assertThat(webhooks.worker().deliverDue()).as("not due again at once").isZero();
        clock.advance(BASE.minusSeconds(1));
        assertThat(webhooks.worker().deliverDue()).as("the first wait is the base").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(webhooks.worker().deliverDue()).as("second attempt: 503").isEqualTo(1);
        clock.advance(BASE);
        assertThat(webhooks.worker().deliverDue()).as("the second wait doubles").isZero();
        clock.advance(BASE);
        assertThat(webhooks.worker().deliverDue()).as("third attempt: 200").isEqualTo(1);
        clock.advance(Duration.ofDays(1));
        assertThat(webhooks.worker().deliverDue()).as("delivered: never again").isZero();

        assertThat(received).extracting(Received::answered).containsExactly(500, 503, 200);
        assertThat(received.stream().filter(r -> r.answered() == 200)).hasSize(1);
        assertThat(received).allSatisfy(r -> assertThat(r.header("X-Mailroom-Delivery"))
                .isEqualTo("rule:3:2:message:" + message.id()));
        Map<String, Object> row = row("rule:3:2:message:" + message.id());
        assertThat(row).containsEntry("status", "delivered").containsEntry("attempts", 3).containsEntry("last_status", 200);
        assertThat(row.get("last_error")).isNull();
    }

    @Test
    void the_same_idempotency_key_queues_one_delivery() {
        Webhooks webhooks = webhooks(true, 5);
        MessageView message = message("hook-3");
        RuleAction action = action(webhooks, true);

        Outcome first = call(action, message);
        Outcome again = call(action, message);
        webhooks.worker().deliverDue();
        call(action, message);
        webhooks.worker().deliverDue();

        assertThat(first.detail()).isEqualTo("queued");
        assertThat(again.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(again.detail()).isEqualTo("queued before");
        assertThat(received).hasSize(1);
        long rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM webhook_deliveries").mapTo(Long.class).one());
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void a_loopback_url_is_refused_when_saved_and_when_posted_unless_private_hosts_are_allowed() {
        Settings data = Settings.of(Map.of("url", url(), "secret", SECRET), java.util.Set.of("secret"));
        Webhooks refusing = webhooks(false, 5);

        assertThatThrownBy(() -> action(refusing, false).checkData(data)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("not allowed").satisfies(e ->
                        assertThat(((InvalidSettingException) e).setting()).isEqualTo("url"));
        action(refusing, true).checkData(data); // allowed in this configuration

        MessageView message = message("hook-4");
        call(action(refusing, true), message); // saved where private hosts were allowed, posted where they are not
        assertThat(refusing.worker().deliverDue()).isEqualTo(1);

        assertThat(received).as("nothing reached the loopback receiver").isEmpty();
        Map<String, Object> row = row("rule:3:2:message:" + message.id());
        assertThat(row).containsEntry("status", "failed").containsEntry("attempts", 1);
        assertThat((String) row.get("last_error")).contains("127.0.0.1").contains("not allowed");
        clock.advance(Duration.ofDays(1));
        assertThat(refusing.worker().deliverDue()).as("a refused address is not retried").isZero();
    }

    @Test
    void the_secret_is_sealed_at_rest_and_never_in_the_reason_or_the_logs_and_a_delivery_is_given_up() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            Webhooks webhooks = webhooks(true, 2);
            MessageView message = message("hook-5");
            answerBody = "bad signature for secret " + SECRET + "\n" + "x".repeat(10_000);
            answers.addAll(List.of(500, 500, 500));
            call(action(webhooks, true), message);

            webhooks.worker().deliverDue();
            clock.advance(BASE);
            webhooks.worker().deliverDue();
            clock.advance(Duration.ofDays(1));
            assertThat(webhooks.worker().deliverDue()).as("given up after two attempts").isZero();

            assertThat(received).hasSize(2);
            Map<String, Object> row = row("rule:3:2:message:" + message.id());
            assertThat(row).containsEntry("status", "failed").containsEntry("attempts", 2).containsEntry("last_status", 500);
            String reason = (String) row.get("last_error");
            assertThat(reason).startsWith("gave up after 2 attempts; the last: HTTP 500: bad signature for secret ***")
                    .doesNotContain(SECRET).hasSizeLessThan(300);
            assertThat((String) row.get("secret")).startsWith("v1:").doesNotContain(SECRET);
            String table = jdbi.withHandle(h -> h.createQuery("SELECT string_agg(row_to_json(w)::text, '') "
                    + "FROM webhook_deliveries w").mapTo(String.class).one());
            assertThat(table).doesNotContain(SECRET);
            List<String> lines = new ArrayList<>();
            logs.list.forEach(event -> lines.add(event.getFormattedMessage()));
            assertThat(lines).anyMatch(line -> line.contains("webhooks: delivery"));
            assertThat(lines).noneMatch(line -> line.contains(SECRET));
            assertThat(Settings.of(Map.of("url", url(), "secret", SECRET), java.util.Set.of("secret")).toString())
                    .doesNotContain(SECRET);
        } finally {
            root.detachAppender(logs);
        }
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        return key;
    }
}
