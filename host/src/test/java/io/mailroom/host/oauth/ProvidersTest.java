package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.HashMap;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Providers per installation: listed with their redirect URI, configured, checked, switched off. */
class ProvidersTest extends OAuthTestBase {

    @Override
    Map<String, String> configuration() {
        return Map.of("mailroom.public.url", "https://mail.example.com/");
    }

    private JsonNode provider() {
        JsonNode list = fixture.admin.get("/api/oauth/providers").json();
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    @Test
    void a_provider_is_listed_with_the_redirect_uri_to_register_and_no_secret() {
        ApiClient.Reply reply = fixture.admin.get("/api/oauth/providers");

        JsonNode mock = reply.json().get(0);
        assertThat(mock.get("id").asText()).isEqualTo("mock");
        assertThat(mock.get("name").asText()).isEqualTo("Mock");
        assertThat(mock.get("enabled").asBoolean()).as(reply.body()).isTrue();
        assertThat(mock.get("reason").isNull()).isTrue();
        assertThat(mock.get("redirect_uri").asText()).isEqualTo("https://mail.example.com/api/oauth/mock/callback");
        assertThat(mock.get("settings").get("client_id").asText()).isEqualTo("mailroom-test");
        assertThat(mock.get("settings").get("client_secret_set").asBoolean()).isTrue();
        assertThat(reply.body()).doesNotContain("s3cret-client");
    }

    @Test
    void only_a_superadmin_changes_a_provider() {
        long userId = fixture.admin.post("/api/users", Map.of("name", "Una", "email", "una@example.com")).json().get("id").asLong();
        ApiClient una = fixture.mailroom.client(fixture.admin.post("/api/tokens", Map.of("user_id", userId)).json().get("token").asText());

        assertThat(una.put("/api/oauth/providers/mock", Map.of("enabled", false)).status()).isEqualTo(403);
        assertThat(una.get("/api/oauth/providers").status()).isEqualTo(200);
        assertThat(fixture.admin.put("/api/oauth/providers/mock", Map.of("settings", Map.of("colour", "red"))).json()
                .get("details").get("path").asText()).isEqualTo("settings.colour");
        assertThat(fixture.admin.put("/api/oauth/providers/nope", Map.of("enabled", false)).status()).isEqualTo(404);
    }

    @Test
    void bad_client_credentials_leave_the_provider_disabled_with_the_providers_answer() {
        try (ScriptedTokenEndpoint refusing = new ScriptedTokenEndpoint(401,
                "{\"error\":\"invalid_client\",\"error_description\":\"The OAuth client was not found.\"}")) {
            ApiClient.Reply reply = fixture.admin.put("/api/oauth/providers/mock", Map.of("enabled", true,
                    "settings", Map.of("token_endpoint", refusing.url(), "client_secret", "wrong-secret")));

            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("enabled").asBoolean()).isFalse();
            assertThat(reply.json().get("reason").asText()).contains("invalid_client", "The OAuth client was not found.");
            assertThat(reply.body()).doesNotContain("wrong-secret");
            assertThat(fixture.admin.get("/api/oauth/{p}/authorize".replace("{p}", "mock")).status()).isEqualTo(409);
        } finally {
            Map<String, Object> reset = new HashMap<>();
            reset.put("token_endpoint", null);
            reset.put("client_secret", null);
            JsonNode back = fixture.admin.put("/api/oauth/providers/mock", Map.of("enabled", true, "settings", reset)).json();
            assertThat(back.get("enabled").asBoolean()).as("good credentials: the made-up code is invalid_grant").isTrue();
        }
    }

    @Test
    void a_provider_switched_off_leaves_the_flow_and_its_mailboxes_say_why() {
        long id = fixture.connect(adminToken, "?source=recording", "ola@example.com")
                .get("mailbox_id").asLong();
        try {
            JsonNode off = fixture.admin.put("/api/oauth/providers/mock", Map.of("enabled", false)).json();
            assertThat(off.get("enabled").asBoolean()).isFalse();
            assertThat(off.get("reason").asText()).contains("switched off");

            var authorize = OAuthFixture.send(HttpRequest.newBuilder(URI.create(fixture.base() + "/api/oauth/mock/authorize"))
                    .header("Authorization", "Bearer " + adminToken).GET().build());
            assertThat(authorize.statusCode()).isEqualTo(409);
            JsonNode mailbox = fixture.admin.get("/api/mailboxes/" + id).json();
            assertThat(mailbox.get("status").asText()).isEqualTo("disabled");
            assertThat(mailbox.get("last_error").asText()).contains("mock", "not enabled", "switched off");
            JsonNode poll = fixture.admin.post("/api/mailboxes/" + id + "/sync?wait=true", null).json();
            assertThat(poll.get("status").asText()).isEqualTo("failed");
            assertThat(poll.get("error").asText()).contains("not enabled");
        } finally {
            assertThat(fixture.admin.put("/api/oauth/providers/mock", Map.of("enabled", true)).json()
                    .get("enabled").asBoolean()).isTrue();
        }
        assertThat(fixture.admin.post("/api/mailboxes/" + id + "/sync?wait=true", null).json().get("status").asText())
                .isEqualTo("ok");
    }

    @Test
    void a_configured_setting_the_provider_does_not_declare_stops_the_start(@TempDir Path other) {
        assertThatThrownBy(() -> OAuthFixture.start(other, Map.of("mailroom.oauth.mock.client_idd", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mailroom.oauth.mock.client_idd");
    }

    @Test
    void settings_of_a_provider_that_is_not_loaded_do_not_stop_the_start(@TempDir Path other) {
        // its plugin may be disabled: mailroom.plugins.disabled=microsoft-oauth with its settings still configured
        try (TestMailroom started = TestMailroom.start(other, Map.of("mailroom.oauth.microsoft.client_id", "x"))) {
            assertThat(started.admin().get("/api/oauth/providers").json()).isEmpty();
        }
    }
}
