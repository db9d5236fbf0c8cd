package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each abuse of the state or PKCE is a 400, and nothing is stored. */
class StateAbuseTest extends OAuthTestBase {

    private long mailboxes() {
        return fixture.query("SELECT count(*) FROM mailboxes", Long.class);
    }

    private long grants() {
        return fixture.query("SELECT count(*) FROM oauth_grants", Long.class);
    }

    private void assertRefused(HttpResponse<String> response, String error, long mailboxesBefore, long grantsBefore) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(OAuthFixture.json(response.body()).get("error").asText()).isEqualTo(error);
        assertThat(mailboxes()).as("no mailbox stored").isEqualTo(mailboxesBefore);
        assertThat(grants()).as("no token stored").isEqualTo(grantsBefore);
    }

    /** A callback URI the provider sent back, not yet used. */
    private URI callback(String email) {
        fixture.nextLoginAs(email);
        return fixture.signIn(fixture.authorize(adminToken, "?source=recording"));
    }

    @Test
    void a_replayed_state_is_refused() {
        URI callback = callback("a@example.com");
        assertThat(fixture.callback(callback, adminToken).statusCode()).isEqualTo(200);
        long mailboxes = mailboxes();
        long grants = grants();

        assertRefused(fixture.callback(callback, adminToken), "invalid_state", mailboxes, grants);
    }

    @Test
    void an_expired_state_is_refused() {
        URI callback = callback("b@example.com");
        fixture.mailroom.mailroom().core().database().jdbi().useHandle(handle ->
                handle.execute("UPDATE oauth_states SET expires_at = now() - interval '1 second'"));

        assertRefused(fixture.callback(callback, adminToken), "invalid_state", mailboxes(), grants());
    }

    @Test
    void another_users_state_is_refused() {
        long userId = fixture.admin.post("/api/users", Map.of("name", "Mallory", "email", "m@example.com"))
                .json().get("id").asLong();
        String mallory = fixture.admin.post("/api/tokens", Map.of("user_id", userId)).json().get("token").asText();
        URI callback = callback("c@example.com");

        assertRefused(fixture.callback(callback, mallory), "invalid_state", mailboxes(), grants());
    }

    @Test
    void a_browser_that_did_not_start_the_authorization_cannot_finish_it() {
        // the victim of a link carrying someone else's state: no token, not the starting browser's cookie
        URI callback = callback("victim@example.com");

        assertRefused(fixture.callback(callback, null, null), "invalid_state", mailboxes(), grants());
    }

    @Test
    void a_forged_state_is_refused() {
        URI callback = callback("d@example.com");
        String forged = callback.toString().replaceAll("state=([^&.]+)\\.[^&]+", "state=$1.AAAA");

        assertRefused(fixture.callback(URI.create(forged), adminToken), "invalid_state", mailboxes(), grants());
    }

    @Test
    void a_code_from_another_authorization_fails_the_pkce_check() {
        URI first = callback("e@example.com");
        URI second = callback("e@example.com");
        String codeOfSecond = query(second, "code");
        String mixed = first.toString().replaceAll("code=[^&]+", "code=" + codeOfSecond);

        assertRefused(fixture.callback(URI.create(mixed), adminToken), "exchange_failed", mailboxes(), grants());
    }

    @Test
    void an_error_from_the_provider_is_refused() {
        URI callback = callback("f@example.com");
        URI denied = URI.create(fixture.base() + "/api/oauth/mock/callback?state=" + query(callback, "state")
                + "&error=access_denied&error_description=The+user+said+no");

        HttpResponse<String> response = fixture.callback(denied, adminToken);

        assertRefused(response, "provider_error", mailboxes(), grants());
        JsonNode body = OAuthFixture.json(response.body());
        assertThat(body.get("message").asText()).contains("access_denied", "The user said no");
    }

    @Test
    void a_callback_for_another_provider_than_the_state_is_refused() {
        URI callback = callback("g@example.com");
        URI elsewhere = URI.create(callback.toString().replace("/api/oauth/mock/", "/api/oauth/other/"));

        assertRefused(fixture.callback(elsewhere, adminToken), "invalid_state", mailboxes(), grants());
    }

    private static String query(URI uri, String name) {
        return OAuthFlowTest.query(uri).get(name);
    }
}
