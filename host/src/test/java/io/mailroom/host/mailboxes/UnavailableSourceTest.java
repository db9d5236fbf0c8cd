package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.schedule.ScriptedSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A mailbox whose source plugin is no longer started still lists and reads, and says why it cannot sync. */
class UnavailableSourceTest {

    @Test
    void a_mailbox_of_a_disabled_source_plugin_lists_with_its_stored_settings_and_why_it_cannot_sync(@TempDir Path dir)
            throws Exception {
        ScriptedSource.install(dir);
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            ApiClient admin = mailroom.admin();
            Map<String, Object> body = ScriptedSource.mailbox("orphan@example.com", "ok", null);
            body.put("settings", Map.of("mode", "ok", "delay_ms", 5));
            long id = ScriptedSource.create(admin, body);
            // a sealed value as a password plugin's would be: it must never be shown
            mailroom.mailroom().core().database().jdbi().useHandle(handle -> handle.createUpdate(
                    "UPDATE mailboxes SET settings = settings || jsonb_build_object('password', :sealed) WHERE id = :id")
                    .bind("sealed", "v1:k1:c2VjcmV0LWJ5dGVz").bind("id", id).execute());

            Files.writeString(dir.resolve("plugins/disabled.txt"), "scripted\n");
            mailroom.restart();
            admin = mailroom.admin();

            Reply list = admin.get("/api/mailboxes");
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            JsonNode listed = list.json().get("items").get(0);
            assertThat(listed.get("id").asLong()).isEqualTo(id);
            Reply read = admin.get("/api/mailboxes/" + id);
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            JsonNode mailbox = read.json();
            assertThat(mailbox.get("status").asText()).isEqualTo("disabled");
            assertThat(mailbox.get("source_available").asBoolean()).isFalse();
            assertThat(mailbox.get("last_error").asText()).contains("'scripted'").contains("not started");
            assertThat(mailbox.at("/settings/mode").asText()).isEqualTo("ok");
            assertThat(mailbox.at("/settings/delay_ms").asText()).isEqualTo("5");
            assertThat(mailbox.at("/settings/password_set").asBoolean()).isTrue();
            assertThat(read.body()).doesNotContain("c2VjcmV0LWJ5dGVz");

            Reply renamed = admin.put("/api/mailboxes/" + id, Map.of("name", "Kept"));
            assertThat(renamed.status()).as("fields other than settings can change: " + renamed.body()).isEqualTo(200);
            Reply sync = admin.post("/api/mailboxes/" + id + "/sync?wait=true", null);
            assertThat(sync.json().get("status").asText()).isEqualTo("failed");
            assertThat(sync.json().get("error").asText()).contains("not available");
            assertThat(admin.delete("/api/mailboxes/" + id).status()).isEqualTo(204);
        }
    }
}
