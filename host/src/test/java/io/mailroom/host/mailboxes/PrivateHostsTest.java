package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With {@code mailroom.sources.allow.private.hosts} off (the default), a mailbox cannot be
 * pointed at loopback: refused at create, at update and at {@code /test}. Every target here is
 * a loopback literal, and the source refuses anything else itself, so no packet leaves the host.
 */
class PrivateHostsTest {

    /** Connects with the host's sockets, as a real source must; never to a non-loopback address. */
    private static final String SOCKET_SOURCE = """
            package sample.sockets;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.io.IOException;
            import java.util.List;

            public class Source implements MailSource {
                @Override public String id() { return "sockets"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(
                        SettingDescriptor.required("host", SettingType.STRING, "host"),
                        SettingDescriptor.required("port", SettingType.INTEGER, "port"));
                }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    String host = account.settings().get("host");
                    if (!host.startsWith("127.") && !host.equals("localhost")) {
                        throw new PermanentException("this test source connects to loopback only");
                    }
                    try {
                        context.sockets().createSocket(host, account.settings().getInt("port")).close();
                    } catch (IOException e) {
                        throw new PermanentException("cannot connect: " + e.getMessage(), e);
                    }
                    throw new TemporaryException("connected, but this source speaks no protocol");
                }
            }
            """;

    /** Every way of writing an internal address that a user could try, none of which asks DNS. */
    static final String[] HIDDEN_INTERNAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::ffff:127.0.0.1]", "::ffff:7f00:1",
        "169.254.169.254", "10.0.0.1", "2130706433", "0x7f.0.0.1", "0x7f000001", "0177.0.0.1", "127.1", "017700000001",
        "127.0.0.1.", "0.0.0.0", "[fe80::1]", "fd00:ec2::254", "64:ff9b::a9fe:a9fe", "192.0.0.192"};

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static ServerSocket listener;

    @BeforeAll
    static void start() throws Exception {
        PluginJarBuilder.plugin("sockets").source("sample.sockets.Source", SOCKET_SOURCE)
                .service(MailSource.class, "sample.sockets.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        mailroom = TestMailroom.start(dir, Map.of("mailroom.sources.allow.private.hosts", "false",
                "mailroom.outbox.poll.ms", "100", "mailroom.outbox.retry.base", "1"));
        admin = mailroom.admin();
        listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(200);
    }

    @AfterAll
    static void stop() throws Exception {
        listener.close();
        mailroom.close();
    }

    private static Map<String, Object> mailbox(String host) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Probe");
        body.put("email", "probe@example.com");
        body.put("source", "sockets");
        body.put("settings", Map.of("host", host, "port", listener.getLocalPort()));
        return body;
    }

    @Test
    void a_mailbox_pointed_at_loopback_is_refused_at_create() {
        for (String host : HIDDEN_INTERNAL_HOSTS) {
            Reply reply = admin.post("/api/mailboxes", mailbox(host));

            assertThat(reply.status()).as(host + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.json().at("/details/path").asText()).isEqualTo("settings.host");
            assertThat(reply.json().get("message").asText()).contains("not allowed")
                    .contains("mailroom.sources.allow.private.hosts");
        }
        assertNothingConnected();
    }

    @Test
    void an_smtp_server_on_loopback_is_refused_and_nothing_is_saved() {
        Map<String, Object> body = mailbox("192.0.2.1");
        body.put("smtp", Map.of("host", "127.0.0.1", "port", listener.getLocalPort(), "security", "none"));
        long before = admin.get("/api/mailboxes").json().get("total").asLong();

        Reply reply = admin.post("/api/mailboxes", body);

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().at("/details/path").asText()).isEqualTo("smtp.host");
        assertThat(admin.get("/api/mailboxes").json().get("total").asLong()).isEqualTo(before);
        assertNothingConnected();
    }

    @Test
    void an_smtp_server_at_any_form_of_an_internal_address_is_refused_at_create() {
        for (String host : HIDDEN_INTERNAL_HOSTS) {
            Map<String, Object> body = mailbox("192.0.2.1");
            body.put("smtp", Map.of("host", host, "port", listener.getLocalPort(), "security", "none"));

            Reply reply = admin.post("/api/mailboxes", body);

            assertThat(reply.status()).as(host + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.json().at("/details/path").asText()).as(host).isEqualTo("smtp.host");
        }
        assertNothingConnected();
    }

    @Test
    void a_webhook_rule_aimed_at_any_form_of_an_internal_address_is_refused_when_saved() {
        long rulesBefore = admin.get("/api/rules").json().get("total").asLong();
        for (String host : HIDDEN_INTERNAL_HOSTS) {
            String url = "http://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                    + ":" + listener.getLocalPort() + "/hook";
            Map<String, Object> rule = Map.of("name", "Leak", "condition", Map.of("field", "subject", "op", "contains", "value", "x"),
                    "actions", java.util.List.of(Map.of("type", "webhook", "data", Map.of("url", url, "secret", "test-hook-secret"))));

            Reply reply = admin.post("/api/rules", rule);

            assertThat(reply.status()).as(url + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.json().at("/details/path").asText()).as(url).startsWith("actions[0]").endsWith("url");
            assertThat(reply.body()).as(url).doesNotContain("test-hook-secret");
        }
        assertThat(admin.get("/api/rules").json().get("total").asLong()).isEqualTo(rulesBefore);
        assertNothingConnected();
    }

    @Test
    void mail_sent_from_a_mailbox_whose_stored_smtp_server_is_internal_fails_and_never_connects() throws Exception {
        // as if stored while the rule was off, or while the name pointed elsewhere (DNS rebinding)
        long id = admin.post("/api/mailboxes", mailbox("192.0.2.1")).json().get("id").asLong();
        var jdbi = mailroom.mailroom().core().database().jdbi();
        jdbi.useHandle(handle -> handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, rate_per_minute) "
                + "VALUES (?, '127.0.0.1', ?, 'none', 1000)", id, listener.getLocalPort()));

        Reply queued = admin.post("/api/send", Map.of("mailbox_id", id, "to", "bob@customer.example",
                "subject", "To nowhere", "text", "Hello"));
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        long message = queued.json().get("id").asLong();
        java.time.Instant until = java.time.Instant.now().plusSeconds(30);
        while (!admin.get("/api/messages/" + message).json().get("status").asText().equals("failed")) {
            assertThat(java.time.Instant.now()).as("the send to fail").isBefore(until);
            Thread.sleep(50);
        }
        assertNothingConnected();

        // mailroom test-connection --smtp
        io.mailroom.host.outbound.SmtpCheck.Result check = mailroom.mailroom().core().outbound().check().check(
                jdbi.onDemand(MailboxDao.class).find(id).orElseThrow(), java.util.Optional.of("bob@customer.example"));
        assertThat(check.ok()).isFalse();
        assertThat(check.error()).contains("127.0.0.1").contains("not allowed");
        assertNothingConnected();
    }

    @Test
    void a_stored_mailbox_moved_to_loopback_is_refused_at_update_and_at_test() {
        // 192.0.2.1 (TEST-NET-1) is public to the rule; the source refuses to connect there itself
        Reply created = admin.post("/api/mailboxes", mailbox("192.0.2.1"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();

        Reply update = admin.put("/api/mailboxes/" + id, Map.of("settings", Map.of("host", "127.0.0.1")));
        assertThat(update.status()).as(update.body()).isEqualTo(400);
        assertThat(update.json().at("/details/path").asText()).isEqualTo("settings.host");

        // as if the name had been stored while it pointed elsewhere (or the rule was off then)
        mailroom.mailroom().core().database().jdbi().useHandle(handle -> handle.execute(
                "UPDATE mailboxes SET settings = jsonb_set(settings, '{host}', to_jsonb('127.0.0.1'::text)) WHERE id = ?", id));
        JsonNode test = admin.post("/api/mailboxes/" + id + "/test", Map.of()).json();

        assertThat(test.get("ok").asBoolean()).isFalse();
        assertThat(test.get("error").asText()).contains("127.0.0.1").contains("loopback").contains("not allowed");
        assertNothingConnected();
    }

    private static void assertNothingConnected() {
        assertThatThrownBy(() -> listener.accept().close()).as("no connection reached the loopback listener")
                .isInstanceOf(SocketTimeoutException.class);
    }
}
