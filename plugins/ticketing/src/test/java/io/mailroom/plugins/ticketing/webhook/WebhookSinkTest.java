package io.mailroom.plugins.ticketing.webhook;

import io.mailroom.api.Outcome;
import io.mailroom.api.PermanentException;
import io.mailroom.api.Settings;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.api.message.MessageView;
import io.mailroom.plugins.ticketing.TicketingSink;
import io.mailroom.testkit.context.FakeContext;
import io.mailroom.testkit.context.FakeDirectory;
import io.mailroom.testkit.context.FakeMailboxes;
import io.mailroom.testkit.context.LoopbackHttp;
import io.mailroom.testkit.context.RecordingOutboundMail;
import io.mailroom.testkit.context.SettableClock;
import io.mailroom.testkit.database.PluginTestDatabase;
import io.mailroom.testkit.mail.MessageViewBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSinkTest {

    private static final long MAILBOX = 1;

    private final WebhookReceiver receiver = new WebhookReceiver();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final FakeMailboxes mailboxes = new FakeMailboxes();
    private final FakeContext context = new FakeContext("ticketing").database(PluginTestDatabase.migrated("ticketing"))
            .http(new LoopbackHttp()).clock(clock).mailboxes(mailboxes);
    private final WebhookSink sink = new WebhookSink();

    @AfterEach
    void stop_the_receiver() {
        receiver.close();
    }

    private Settings settings(Map<String, String> more) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("url", receiver.url().toString(),
                "secret", "s3cret"));
        values.putAll(more);
        return Settings.of(values, Set.of("secret"));
    }

    private Outcome deliver(MessageView message) {
        return sink.deliver(message, settings(Map.of()), context);
    }

    private static MessageView message(long id) {
        return MessageViewBuilder.message(id, MAILBOX).from("ann@acme.com", "Ann \"A\"").to("support@mailroom.test")
                .subject("Printer down").messageId("<m" + id + "@acme.com>").text("Line 1\nLine 2")
                .attachment("log.txt", "text/plain", 12).build();
    }

    @Test
    void posts_the_message_as_json_signed_with_the_mailboxs_secret() throws Exception {
        Outcome outcome = deliver(message(41));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        WebhookReceiver.Post post = receiver.posts().getFirst();
        assertThat(post.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(post.body()).startsWith("{\"event\":\"message.processed\",\"message\":{\"id\":41,\"mailbox_id\":1,")
                .contains("\"from\":{\"name\":\"Ann \\\"A\\\"\",\"email\":\"ann@acme.com\"}")
                .contains("\"text\":\"Line 1\\nLine 2\"")
                .contains("\"attachments\":[{\"index\":0,\"filename\":\"log.txt\",\"content_type\":\"text/plain\","
                        + "\"size\":12,\"stored\":true}]")
                .endsWith("\"ticket\":null}");
        long t = clock.instant().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + post.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(post.headers().get("X-Mailroom-Signature")).isEqualTo("t=" + t + ",v1=" + expected);
        assertThat(post.headers().get("X-Mailroom-Delivery")).isNotBlank();
    }

    @Test
    void a_delivered_message_is_not_posted_again() {
        deliver(message(41));
        Outcome again = deliver(message(41));

        assertThat(again.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(receiver.posts()).hasSize(1);
    }

    @Test
    void a_failed_post_is_retried_after_its_back_off_only() {
        receiver.answer(503);

        assertThatThrownBy(() -> deliver(message(41))).isInstanceOf(TemporaryException.class)
                .hasMessageContaining("HTTP 503");
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> deliver(message(41))).isInstanceOf(TemporaryException.class);
        assertThat(receiver.posts()).hasSize(1);

        clock.advance(Duration.ofSeconds(20));
        Outcome outcome = deliver(message(41));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(receiver.posts()).hasSize(2);
        assertThat(receiver.posts().get(1).body()).isEqualTo(receiver.posts().get(0).body());
        assertThat(receiver.posts().get(1).headers().get("X-Mailroom-Delivery"))
                .isEqualTo(receiver.posts().get(0).headers().get("X-Mailroom-Delivery"));
    }

    @Test
    void the_next_message_of_the_mailbox_posts_a_due_earlier_one_first() {
        receiver.answer(500);
        assertThatThrownBy(() -> deliver(message(41))).isInstanceOf(TemporaryException.class);
        clock.advance(Duration.ofMinutes(1));

        Outcome second = deliver(message(42));

        assertThat(second.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(receiver.posts()).extracting(post -> post.body().contains("\"id\":41,") ? 41 : 42)
                .containsExactly(41, 41, 42);
        // the host's retry of the first message now finds it delivered
        assertThat(deliver(message(41)).status()).isEqualTo(Outcome.Status.DONE);
        assertThat(receiver.posts()).hasSize(3);
    }

    @Test
    void a_message_is_given_up_after_max_attempts() {
        receiver.answer(500, 500);
        Settings twoAttempts = settings(Map.of("max_attempts", "2"));

        assertThatThrownBy(() -> sink.deliver(message(41), twoAttempts, context)).isInstanceOf(TemporaryException.class);
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> sink.deliver(message(41), twoAttempts, context)).isInstanceOf(PermanentException.class)
                .hasMessageContaining("2 attempts");
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> sink.deliver(message(41), twoAttempts, context)).isInstanceOf(PermanentException.class);
        assertThat(receiver.posts()).hasSize(2);
    }

    @Test
    void an_unreachable_receiver_is_retried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Settings nowhere = Settings.of(Map.of("url", "http://127.0.0.1:" + closedPort + "/hook", "secret", "s"));

        assertThatThrownBy(() -> sink.deliver(message(41), nowhere, context)).isInstanceOf(TemporaryException.class);
    }

    @Test
    void an_address_the_host_refuses_is_given_up_at_once() {
        // LoopbackHttp refuses any address but loopback, as the host refuses private ones; an IP
        // literal needs no DNS, so nothing leaves the machine
        Settings elsewhere = Settings.of(Map.of("url", "http://192.0.2.1/hook", "secret", "s"));

        assertThatThrownBy(() -> sink.deliver(message(41), elsewhere, context)).isInstanceOf(PermanentException.class)
                .hasMessageContaining("1 attempts");
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> sink.deliver(message(41), elsewhere, context)).isInstanceOf(PermanentException.class);
    }

    @Test
    void a_url_that_is_not_http_is_refused() {
        Settings ftp = Settings.of(Map.of("url", "ftp://helpdesk.test/in", "secret", "s"));

        assertThatThrownBy(() -> sink.deliver(message(41), ftp, context)).isInstanceOf(PermanentException.class)
                .hasMessageContaining("url");
        assertThat(receiver.posts()).isEmpty();
    }

    @Test
    void the_ticket_decision_travels_with_a_message_the_ticketing_sink_filed() {
        FakeDirectory directory = new FakeDirectory();
        directory.addCompany("Acme", "acme.com");
        mailboxes.add(new MailboxInfo(MAILBOX, "Support", "support@mailroom.test", 3, null, "ticketing"));
        context.directory(directory).outboundMail(new RecordingOutboundMail());
        new TicketingSink().deliver(message(41), Settings.of(Map.of()), context);

        deliver(message(41));

        assertThat(receiver.posts().getFirst().body())
                .endsWith("\"ticket\":{\"id\":1,\"ref\":\"TCK-1\",\"status\":\"open\",\"subject\":\"Printer down\"}}");
    }

    @Test
    void the_back_off_doubles_up_to_six_hours() {
        assertThat(WebhookSink.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(WebhookSink.backoff(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(WebhookSink.backoff(5)).isEqualTo(Duration.ofMinutes(8));
        assertThat(WebhookSink.backoff(40)).isEqualTo(Duration.ofHours(6));
    }
}
