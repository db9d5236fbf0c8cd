package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.PluginJarBuilder;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A plugin sends through the {@code ExtensionContext} the host gives it: the host's outbox, as the mailbox's owner. */
class PluginSendingTest {

    /** A source that, each time it connects, answers through {@code context.outboundMail()} once (by its key). */
    private static final String SENDING_SOURCE = """
            package sample.sending;

            import io.mailroom.api.*;
            import io.mailroom.api.outbound.OutgoingMail;
            import io.mailroom.api.source.*;
            import java.util.List;

            public class Source implements MailSource {
                @Override public String id() { return "sending"; }
                @Override public List<SettingDescriptor> mailboxSettings() { return List.of(); }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    context.outboundMail().send(new OutgoingMail(account.mailboxId(), List.of("bob@customer.example"),
                        null, null, "From a plugin", "Sent through the plugin context", null, null, false,
                        "auto-generated", "sending:" + account.mailboxId()));
                    return new SourceConnection() {
                        @Override public List<String> capabilities() { return List.of(); }
                        @Override public List<FolderInfo> folders() { return List.of(); }
                        @Override public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
                            throw new PermanentException("no folder " + folder);
                        }
                        @Override public void apply(String folder, long validity, List<PostAction> actions) { }
                        @Override public void close() { }
                    };
                }
            }
            """;

    @Test
    void a_plugin_sends_through_its_context_as_the_mailboxs_owner_once_per_key(@TempDir Path dir) throws Exception {
        PluginJarBuilder.plugin("sending").source("sample.sending.Source", SENDING_SOURCE)
                .service(MailSource.class, "sample.sending.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.outbox.poll.ms", "100"))) {
            ApiClient admin = mailroom.admin();
            long annId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann@example.com")).json().get("id").asLong();
            ApiClient ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", annId)).json().get("token").asText());
            var created = ann.post("/api/mailboxes", Map.of("name", "Ann's", "email", "ann@example.com", "source", "sending",
                    "smtp", Map.of("host", "127.0.0.1", "port", smtp.getSmtp().getPort(), "security", "none")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long mailbox = created.json().get("id").asLong();

            ann.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);
            ann.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);

            Instant until = Instant.now().plus(Duration.ofSeconds(30));
            while (smtp.getReceivedMessages().length == 0) {
                assertThat(Instant.now()).as("waiting for the plugin's mail").isBefore(until);
                Thread.sleep(50);
            }
            MimeMessage got = smtp.getReceivedMessages()[0];
            assertThat(got.getSubject()).isEqualTo("From a plugin");
            assertThat(got.getFrom()[0].toString()).contains("ann@example.com");
            assertThat(got.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
            JsonNode sent = ann.get("/api/messages?direction=outbound&mailbox_id=" + mailbox).json();
            assertThat(sent.get("total").asLong()).as("two syncs, one key: one mail, the owner's to see").isEqualTo(1);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
        } finally {
            smtp.stop();
        }
    }
}
