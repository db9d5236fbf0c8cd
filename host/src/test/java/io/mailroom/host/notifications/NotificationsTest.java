package io.mailroom.host.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Credentials that stop working reach people once per episode, through {@code /api/notifications}. */
class NotificationsTest {

    /** A source whose server refuses every login, as one does after a password change. */
    private static final String REFUSING_SOURCE = """
            package sample.refusing;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.util.List;

            public class Source implements MailSource {
                @Override public String id() { return "refusing"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(SettingDescriptor.required("username", SettingType.STRING, "login"),
                        SettingDescriptor.required("password", SettingType.STRING, "password").asSecret());
                }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    throw new AuthenticationFailedException("LOGIN failed: invalid credentials");
                }
            }
            """;

    @Test
    void a_refused_login_notifies_the_owner_once_per_episode(@TempDir Path dir) throws Exception {
        PluginJarBuilder.plugin("refusing").source("sample.refusing.Source", REFUSING_SOURCE)
                .service(MailSource.class, "sample.refusing.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            ApiClient admin = mailroom.admin();
            long userId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann@example.com")).json().get("id").asLong();
            ApiClient ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", userId)).json().get("token").asText());
            long mailbox = ann.post("/api/mailboxes", Map.of("name", "Ann's", "email", "ann@example.com",
                    "source", "refusing", "settings", Map.of("username", "ann", "password", "old"))).json().get("id").asLong();

            ann.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);
            ann.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);

            JsonNode notifications = ann.get("/api/notifications").json();
            assertThat(notifications.get("total").asLong()).isEqualTo(1);
            assertThat(notifications.get("items").get(0).get("kind").asText()).isEqualTo("credentials_failed");
            assertThat(notifications.get("items").get(0).get("message").asText()).contains("invalid credentials")
                    .doesNotContain("old");
            assertThat(ann.get("/api/mailboxes/" + mailbox).json().get("status").asText()).isEqualTo("auth_failed");
            assertThat(admin.get("/api/notifications").json().get("total").asLong()).isZero();
            String metrics = admin.get("/metrics").body();
            assertThat(metrics).contains("mailroom_sync_failures_total{mailbox=\"" + mailbox + "\"} 2.0",
                    "mailroom_mailbox_consecutive_failures{mailbox=\"" + mailbox + "\"} 2.0",
                    "mailroom_sync_duration_seconds_count{mailbox=\"" + mailbox + "\"} 2",
                    "mailroom_push_connections");
        }
    }

    @Test
    void a_mailbox_without_owner_notifies_the_users_holding_the_capability(@TempDir Path dir) throws Exception {
        PluginJarBuilder.plugin("refusing").source("sample.refusing.Source", REFUSING_SOURCE)
                .service(MailSource.class, "sample.refusing.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            ApiClient admin = mailroom.admin();
            long mailbox = admin.post("/api/mailboxes", Map.of("name", "Shared", "email", "shared@example.com",
                    "source", "refusing", "settings", Map.of("username", "s", "password", "p"))).json().get("id").asLong();
            mailroom.mailroom().core().database().jdbi().useHandle(handle ->
                    handle.execute("UPDATE mailboxes SET owner_user_id = NULL WHERE id = ?", mailbox));

            admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);

            assertThat(admin.get("/api/notifications").json().get("total").asLong()).isEqualTo(1);
        }
    }
}
