package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each abuse of the state or PKCE is a 400, and nothing is stored. */
class StateAbuseTest extends OAuthTestBase {

    /** Where the host keeps its key file: the test seals a tampered verifier with it. */
    private java.nio.file.Path dataDir;

    @Override
    @org.junit.jupiter.api.BeforeAll
    void start(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        super.start(dir);
        dataDir = dir.resolve("data");
    }

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

    @Test
    void a_callback_without_a_state_is_refused() {
        URI callback = callback("h@example.com");
        URI stateless = URI.create(fixture.base() + "/api/oauth/mock/callback?code=" + query(callback, "code"));

        assertRefused(fixture.callback(stateless, adminToken), "invalid_state", mailboxes(), grants());
    }

    @Test
    void an_unknown_state_is_refused() {
        URI callback = callback("i@example.com");
        String unknown = OAuthStates.random() + "." + query(callback, "state").substring(query(callback, "state").indexOf('.') + 1);
        URI forged = URI.create(callback.toString().replaceAll("state=[^&]+", "state=" + unknown));

        assertRefused(fixture.callback(forged, adminToken), "invalid_state", mailboxes(), grants());
        // the real one still works: a guess does not burn another's state
        assertThat(fixture.callback(callback, adminToken).statusCode()).isEqualTo(200);
    }

    @Test
    void a_cookie_from_another_authorization_does_not_finish_this_one() {
        URI victims = callback("j@example.com");
        String victimsCookie = fixture.lastCookie;
        callback("j@example.com");
        String attackersCookie = fixture.lastCookie;
        // the attacker's browser holds its own cookie, under its own state's name, with its own nonce
        String forged = victimsCookie.substring(0, victimsCookie.indexOf('=') + 1)
                + attackersCookie.substring(attackersCookie.indexOf('=') + 1);

        assertRefused(fixture.callback(victims, null, forged), "invalid_state", mailboxes(), grants());
    }

    @Test
    void a_replayed_code_is_refused_with_a_fresh_state() {
        URI first = callback("k@example.com");
        assertThat(fixture.callback(first, adminToken).statusCode()).isEqualTo(200);
        URI second = callback("k@example.com");
        URI replay = URI.create(second.toString().replaceAll("code=[^&]+", "code=" + query(first, "code")));

        HttpResponse<String> response = fixture.callback(replay, adminToken);

        assertRefused(response, "exchange_failed", mailboxes(), grants());
        assertThat(response.body()).doesNotContain(query(first, "code"));
    }

    @Test
    void a_state_for_a_mailbox_deleted_meanwhile_stores_nothing() {
        long mailbox = fixture.admin.post("/api/mailboxes", Map.of("name", "Gone", "email", "gone@example.com",
                "source", "recording", "settings", Map.of("host", "127.0.0.1", "password", "test-secret-gone"), "enabled", false))
                .json().get("id").asLong();
        fixture.nextLoginAs("gone@example.com");
        URI callback = fixture.signIn(fixture.authorize(adminToken, "?mailbox_id=" + mailbox));
        assertThat(fixture.admin.delete("/api/mailboxes/" + mailbox).status()).isIn(200, 204);

        assertRefused(fixture.callback(callback, adminToken), "invalid_state", mailboxes(), grants());
    }

    @Test
    void a_tampered_code_verifier_is_refused_by_the_provider() {
        URI callback = callback("l@example.com");
        String id = query(callback, "state").substring(0, query(callback, "state").indexOf('.'));
        // what an attacker with write access to the row, or a bug mixing rows, would give the exchange
        io.mailroom.host.secrets.SecretSealer sealer = new io.mailroom.host.secrets.SecretSealer(
                io.mailroom.host.secrets.MasterKeys.load(java.util.Optional.empty(), dataDir));
        String otherVerifier = Pkce.create().verifier();
        fixture.mailroom.mailroom().core().database().jdbi().useHandle(handle -> handle.execute(
                "UPDATE oauth_states SET code_verifier = ? WHERE id = ?", sealer.seal(otherVerifier, "oauth-state:" + id), id));

        HttpResponse<String> response = fixture.callback(callback, adminToken);

        assertRefused(response, "exchange_failed", mailboxes(), grants());
        assertThat(response.body()).contains("invalid_pkce").doesNotContain(otherVerifier);
    }

    @Test
    void oversized_parameters_are_refused_and_not_echoed_whole() {
        long mailboxes = mailboxes();
        long grants = grants();
        URI callback = callback("m@example.com");
        String huge = "A".repeat(2000);

        assertRefused(fixture.callback(URI.create(callback.toString().replaceAll("state=[^&]+", "state=" + huge)), adminToken),
                "invalid_state", mailboxes, grants);
        HttpResponse<String> longCode = fixture.callback(URI.create(callback.toString().replaceAll("code=[^&]+", "code=" + huge)),
                adminToken);
        assertRefused(longCode, "exchange_failed", mailboxes, grants);
        assertThat(longCode.body()).hasSizeLessThan(1000);

        URI other = callback("m@example.com");
        HttpResponse<String> longError = fixture.callback(URI.create(fixture.base() + "/api/oauth/mock/callback?state="
                + query(other, "state") + "&error=" + huge + "&error_description=" + huge), adminToken);
        assertRefused(longError, "provider_error", mailboxes, grants);
        assertThat(longError.body()).hasSizeLessThan(1000);

        HttpResponse<String> tooLong = fixture.callback(URI.create(fixture.base() + "/api/oauth/mock/callback?state="
                + "B".repeat(20_000)), adminToken);
        assertThat(tooLong.statusCode()).as("the server refuses a URI past its limit").isBetween(400, 499);
        assertThat(mailboxes()).isEqualTo(mailboxes);
        assertThat(grants()).isEqualTo(grants);
    }

    @Test
    void redirect_parameters_cannot_send_the_browser_elsewhere_and_carry_no_token() {
        fixture.nextLoginAs("n@example.com");
        URI authorization = fixture.authorize(adminToken,
                "?source=recording&redirect_uri=https://evil.example/cb&return_to=https://evil.example/&next=//evil.example");
        assertThat(OAuthFlowTest.query(authorization).get("redirect_uri"))
                .isEqualTo(fixture.base() + "/api/oauth/mock/callback")
                .doesNotContain("evil");
        URI callback = fixture.signIn(authorization);
        URI withRedirects = URI.create(callback + "&redirect_uri=https://evil.example/&return_to=https://evil.example/"
                + "&next=//evil.example&continue=https:%2F%2Fevil.example");

        // the browser's own finish: no token, its cookie, and it is sent to the admin page of this server
        URI local = URI.create(fixture.base() + withRedirects.getRawPath() + "?" + withRedirects.getRawQuery());
        HttpResponse<String> finished = OAuthFixture.send(java.net.http.HttpRequest.newBuilder(local)
                .header("Cookie", fixture.lastCookie).GET().build());

        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(302);
        String location = finished.headers().firstValue("Location").orElseThrow();
        assertThat(URI.create(location).getHost()).isIn("localhost", "127.0.0.1");
        assertThat(location).contains("/admin/mailboxes/").doesNotContain("evil").doesNotContain(query(callback, "code"))
                .doesNotContain(query(callback, "state")).doesNotContainIgnoringCase("token");
    }

    private static String query(URI uri, String name) {
        return OAuthFlowTest.query(uri).get(name);
    }
}
