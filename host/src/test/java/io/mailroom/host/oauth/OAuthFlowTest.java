package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The authorization code flow from the authorize route to a mailbox that logs in with XOAUTH2. */
class OAuthFlowTest extends OAuthTestBase {

    @Test
    void the_authorization_request_has_pkce_the_exact_redirect_uri_and_offline_access() {
        URI uri = fixture.authorize(adminToken, "?source=recording");

        Map<String, String> query = query(uri);
        assertThat(uri.toString()).startsWith(fixture.oauth.authorizationEndpointUrl(OAuthFixture.ISSUER).toString());
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", "mailroom-test")
                .containsEntry("redirect_uri", fixture.base() + "/api/oauth/mock/callback")
                .containsEntry("scope", "mail openid email").containsEntry("code_challenge_method", "S256")
                .containsEntry("access_type", "offline").doesNotContainKey("client_secret");
        assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(query.get("state")).contains(".");
    }

    @Test
    void connecting_an_account_creates_a_mailbox_that_syncs_with_the_account_token() {
        JsonNode connected = fixture.connect(adminToken, "?source=recording", "ann@example.com");

        assertThat(connected.get("created").asBoolean()).isTrue();
        assertThat(connected.get("account").asText()).isEqualTo("ann@example.com");
        long id = connected.get("mailbox_id").asLong();
        ApiClient.Reply mailbox = fixture.admin.get("/api/mailboxes/" + id);
        assertThat(mailbox.json().get("auth").asText()).isEqualTo("oauth:mock");
        assertThat(mailbox.json().get("email").asText()).isEqualTo("ann@example.com");
        assertThat(mailbox.json().get("settings").get("username").asText()).isEqualTo("ann@example.com");
        assertThat(mailbox.json().get("settings").get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(mailbox.json().get("oauth").get("account").asText()).isEqualTo("ann@example.com");

        ApiClient.Reply poll = fixture.admin.post("/api/mailboxes/" + id + "/sync?wait=true", null);

        assertThat(poll.status()).as(poll.body()).isEqualTo(200);
        assertThat(poll.json().get("status").asText()).as(poll.body()).isEqualTo("ok");
        String[] login = fixture.logins().getLast().split(" ");
        assertThat(login[0]).isEqualTo("XOAUTH2");
        assertThat(login[1]).isEqualTo("ann@example.com");
        assertThat(login[2].split("\\.")).hasSize(3);
        assertThat(fixture.admin.get("/api/mailboxes/" + id).body()).doesNotContain(login[2]);
        assertThat(fixture.admin.get("/api/mailboxes/" + id + "/polls").body()).doesNotContain(login[2]);
    }

    @Test
    void a_shared_mailbox_keeps_its_login_name_and_shows_who_authorized() {
        ApiClient.Reply created = fixture.admin.post("/api/mailboxes", Map.of("name", "Support",
                "email", "support@example.com", "source", "recording",
                "settings", Map.of("host", "127.0.0.1", "username", "support@example.com", "password", "old-pw")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();

        URI authorization = fixture.authorize(adminToken, "?mailbox_id=" + id);
        assertThat(query(authorization)).containsEntry("login_hint", "support@example.com");
        fixture.nextLoginAs("bob@example.com");
        var response = fixture.callback(fixture.signIn(authorization), adminToken);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(OAuthFixture.json(response.body()).get("created").asBoolean()).isFalse();

        JsonNode mailbox = fixture.admin.get("/api/mailboxes/" + id).json();
        assertThat(mailbox.get("auth").asText()).isEqualTo("oauth:mock");
        assertThat(mailbox.get("settings").get("username").asText()).isEqualTo("support@example.com");
        assertThat(mailbox.get("settings").get("password_set").asBoolean()).as("the password is dropped").isFalse();
        assertThat(mailbox.get("oauth").get("account").asText()).isEqualTo("bob@example.com");
        assertThat(fixture.admin.post("/api/mailboxes/" + id + "/sync?wait=true", null).json().get("status").asText())
                .isEqualTo("ok");
        assertThat(fixture.logins().getLast()).startsWith("XOAUTH2 support@example.com ");
    }

    @Test
    void a_browser_without_a_token_is_redirected_to_the_admin_page_of_the_mailbox() {
        fixture.nextLoginAs("carol@example.com");
        URI callback = fixture.signIn(fixture.authorize(adminToken, "?source=recording"));

        var response = OAuthFixture.send(java.net.http.HttpRequest.newBuilder(callback)
                .header("Cookie", fixture.lastCookie).GET().build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .matches(java.util.regex.Pattern.quote(fixture.base()) + "/admin/mailboxes/\\d+\\?connected=mock");
    }

    static Map<String, String> query(URI uri) {
        return Arrays.stream(uri.getRawQuery().split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8), (a, b) -> a,
                        HashMap::new));
    }
}
