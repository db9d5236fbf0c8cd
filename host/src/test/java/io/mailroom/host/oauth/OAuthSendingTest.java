package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.host.ApiClient;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static io.mailroom.host.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mailbox connected with OAuth sends over the provider's declared SMTP server with XOAUTH2 and
 * its own token (GreenMail takes a login's password as the token it expects), and a refused
 * grant marks it auth_failed as a refused sync does.
 */
class OAuthSendingTest {

    @TempDir
    static Path dir;
    static GreenMail smtp;
    static OAuthFixture fixture;
    static ApiClient admin;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        System.setProperty("oauthfixture.smtp.port", Integer.toString(smtp.getSmtp().getPort()));
        fixture = OAuthFixture.start(dir, Map.of("mailroom.outbox.poll.ms", "100", "mailroom.outbox.retry.base", "1"));
        admin = fixture.admin;
    }

    @AfterAll
    static void stop() {
        System.clearProperty("oauthfixture.smtp.port");
        fixture.close();
        smtp.stop();
    }

    private static String accessToken(long mailboxId, String username) {
        var core = fixture.mailroom.mailroom().core();
        Mailbox mailbox = core.database().jdbi().onDemand(MailboxDao.class).find(mailboxId).orElseThrow();
        return core.oauthTokens().credential(mailbox, username).secret();
    }

    private static JsonNode send(long mailbox, String subject) {
        var reply = admin.post("/api/send", Map.of("mailbox_id", mailbox, "to", "bob@customer.example",
                "subject", subject, "text", "Hello over XOAUTH2"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        return reply.json();
    }

    private static JsonNode delivery(long message) {
        return admin.get("/api/messages/" + message + "/delivery").json();
    }

    @Test
    void a_connected_mailbox_sends_with_xoauth2_over_the_providers_smtp_server() throws Exception {
        long id = fixture.connect(fixture.mailroom.adminToken(), "?source=recording", "hana@example.com")
                .get("mailbox_id").asLong();

        JsonNode settings = admin.get("/api/mailboxes/" + id).json().get("smtp");
        assertThat(settings.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(settings.get("port").asInt()).isEqualTo(smtp.getSmtp().getPort());
        assertThat(settings.get("password_set").asBoolean()).isFalse();

        // a token GreenMail does not expect is refused: the mail waits, it is not failed
        smtp.setUser("hana@example.com", "hana@example.com", "not-the-token");
        long first = send(id, "Over OAuth").get("id").asLong();
        await("a refused login", () -> delivery(first).path("last_reply").asText().contains("login refused"));
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(delivery(first).get("state").asText()).isEqualTo("queued");

        // the mailbox's own token (username: the account the connect stored) is taken
        smtp.setUser("hana@example.com", "hana@example.com", accessToken(id, "hana@example.com"));
        await("the mail to arrive", () -> smtp.getReceivedMessages().length == 1);
        MimeMessage got = smtp.getReceivedMessages()[0];
        assertThat(got.getSubject()).isEqualTo("Over OAuth");
        assertThat(got.getFrom()[0].toString()).contains("hana@example.com");
        await("status sent", () -> admin.get("/api/messages/" + first).json().get("status").asText().equals("sent"));
    }

    @Test
    void a_refused_grant_marks_the_mailbox_auth_failed_and_the_mail_waits() {
        long id = fixture.connect(fixture.mailroom.adminToken(), "?source=recording", "ines@example.com")
                .get("mailbox_id").asLong();
        fixture.expireSoon(id);
        long message;
        try (ScriptedTokenEndpoint revoked = new ScriptedTokenEndpoint(400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}")) {
            fixture.useTokenEndpoint(revoked.url());
            message = send(id, "Refused grant").get("id").asLong();
            await("the refusal", () -> revoked.requests.get() > 0
                    && delivery(message).path("last_reply").asText().contains("invalid_grant"));
        } finally {
            fixture.useTokenEndpoint(null);
        }
        JsonNode mailbox = admin.get("/api/mailboxes/" + id).json();
        assertThat(mailbox.get("status").asText()).isEqualTo("auth_failed");
        assertThat(mailbox.get("last_error").asText()).contains("invalid_grant");
        assertThat(fixture.query("SELECT count(*) FROM notifications WHERE mailbox_id = ? AND kind = 'credentials_failed'",
                Long.class, id)).isEqualTo(1);
        assertThat(delivery(message).get("state").asText()).as("retried once the mailbox is authorized again")
                .isEqualTo("queued");
        assertThat(Arrays.stream(smtp.getReceivedMessages()).noneMatch(m -> {
            try {
                return "Refused grant".equals(m.getSubject());
            } catch (Exception e) {
                return false;
            }
        })).isTrue();
    }
}
