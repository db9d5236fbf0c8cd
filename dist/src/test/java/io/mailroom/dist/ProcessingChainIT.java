package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.testkit.PluginJarBuilder;
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
 * The processing chain against a real Dovecot through the packaged imap plugin: a sink that takes
 * a message lets the mailbox's own post-actions mark it read and move it; one that leaves it for
 * review keeps it in place, flagged by its effect; {@code GET /api/messages/{id}} tells what was
 * done, and a reprocess does not deliver again.
 */
class ProcessingChainIT {

    /** Takes mail unless its subject asks for review; then leaves it, flagged. */
    private static final String SINK = """
            package sample.review;

            import io.mailroom.api.*;
            import io.mailroom.api.message.MessageView;
            import io.mailroom.api.sink.TicketSink;
            import java.util.List;
            import java.util.Map;

            public class ReviewSink implements TicketSink {
                @Override public String id() { return "review_sink"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(SettingDescriptor.required("queue", SettingType.STRING, "where tickets go"));
                }
                @Override public Outcome deliver(MessageView message, Settings settings, ExtensionContext context) {
                    if (message.subject().contains("[review]")) {
                        return Outcome.skipped("left for review").withEffects(new Effect.Flag());
                    }
                    return Outcome.done("ticket in " + settings.get("queue"), Map.of("ref", "TCK-" + message.id()));
                }
            }
            """;

    @TempDir
    Path dir;

    private static byte[] mail(String messageId, String subject) {
        return ("Message-ID: <" + messageId + ">\r\nFrom: Ann <ann@customer.example>\r\nTo: support@example.com\r\n"
                + "Subject: " + subject + "\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_sink_that_takes_mail_moves_it_one_that_leaves_it_flags_it_and_the_message_says_what_was_done() throws Exception {
        PluginJarBuilder.plugin("review").source("sample.review.ReviewSink", SINK)
                .service(TicketSink.class, "sample.review.ReviewSink")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        try (Installation installation = Installation.start(dir, "imap-basic")) {
            ApiClient admin = installation.admin();
            installation.dovecot().addUser("chain", "pw-chain");
            installation.dovecot().createFolder("chain", "Processed");
            long taken = installation.dovecot().append("chain", "INBOX", mail("taken@customer.example", "Invoice 7"));
            long review = installation.dovecot().append("chain", "INBOX", mail("review@customer.example", "[review] Odd"));
            Map<String, Object> body = new HashMap<>(Map.of("name", "Chain", "email", "chain@example.com", "source", "imap",
                    "mark_as_read", true, "move_processed_to", "Processed", "sink", "review_sink",
                    "sink_settings", Map.of("queue", "billing")));
            body.put("settings", Map.of("host", installation.dovecot().host(), "port", installation.dovecot().imapPort(),
                    "security", "none", "username", "chain", "password", "pw-chain"));
            Reply created = admin.post("/api/mailboxes", body);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long mailboxId = created.json().get("id").asLong();

            Reply poll = admin.post("/api/mailboxes/" + mailboxId + "/sync?wait=true", null);

            assertThat(poll.status()).as(poll.body()).isEqualTo(200);
            assertThat(poll.json().get("stored").asInt()).isEqualTo(2);
            assertThat(installation.dovecot().uids("chain", "INBOX")).as("the one left for review stays").containsExactly(review);
            assertThat(installation.dovecot().flags("chain", "INBOX", review)).contains("\\Flagged").doesNotContain("\\Seen");
            List<Long> moved = installation.dovecot().uids("chain", "Processed");
            assertThat(moved).hasSize(1);
            assertThat(installation.dovecot().flags("chain", "Processed", moved.getFirst())).contains("\\Seen");

            JsonNode messages = admin.get("/api/messages?mailbox_id=" + mailboxId).json().get("items");
            long takenId = 0;
            for (JsonNode message : messages) {
                if (message.get("subject").asText().equals("Invoice 7")) {
                    takenId = message.get("id").asLong();
                }
            }
            JsonNode processing = admin.get("/api/messages/" + takenId).json().get("processing");
            assertThat(processing.toString()).contains("\"step\":\"sink\"", "\"action\":\"review_sink\"",
                    "\"status\":\"done\"", "ticket in billing", "\"step\":\"post_action\"", "move to Processed");

            JsonNode again = admin.post("/api/messages/" + takenId + "/reprocess", null).json();
            assertThat(again.get("processing")).as("done steps are not repeated").hasSize(processing.size());
            assertThat(taken).isPositive();
        }
    }
}
