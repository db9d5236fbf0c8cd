package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.source.Credential;
import io.mailroom.host.ApiClient;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens refreshed ahead of expiry, once at a time, rotation kept; refusals and outages handled apart. */
class TokenLifecycleTest extends OAuthTestBase {

    @BeforeEach
    void forgetEarlierRequests() {
        fixture.tokenRequests();
    }

    private long connect(String token, String email) {
        long id = fixture.connect(token, "?source=recording", email).get("mailbox_id").asLong();
        fixture.tokenRequests();
        return id;
    }

    private String lastToken() {
        return fixture.logins().getLast().split(" ")[2];
    }

    @Test
    void a_token_about_to_expire_is_refreshed_before_the_sync_and_the_rotated_refresh_token_is_kept() {
        long id = connect(adminToken, "dora@example.com");
        fixture.admin.post("/api/mailboxes/" + id + "/sync?wait=true", null);
        String first = lastToken();
        assertThat(fixture.tokenRequests()).as("a valid token is used as it is").isEmpty();

        fixture.expireSoon(id);
        assertThat(fixture.admin.post("/api/mailboxes/" + id + "/sync?wait=true", null).json().get("status").asText())
                .isEqualTo("ok");
        String second = lastToken();
        fixture.expireSoon(id);
        assertThat(fixture.admin.post("/api/mailboxes/" + id + "/sync?wait=true", null).json().get("status").asText())
                .isEqualTo("ok");

        assertThat(second).isNotEqualTo(first);
        assertThat(lastToken()).isNotEqualTo(second);
        List<Map<String, String>> refreshes = fixture.tokenRequests();
        assertThat(refreshes).extracting(form -> form.get("grant_type")).containsExactly("refresh_token", "refresh_token");
        assertThat(refreshes.get(1).get("refresh_token")).as("the second refresh uses the rotated refresh token")
                .isNotEqualTo(refreshes.get(0).get("refresh_token"));
    }

    @Test
    void two_refreshes_at_once_make_one_request() throws Exception {
        long id = connect(adminToken, "eve@example.com");
        fixture.expireSoon(id);
        Mailbox mailbox = fixture.mailroom.mailroom().core().database().jdbi().onDemand(MailboxDao.class).find(id).orElseThrow();
        OAuthTokens tokens = fixture.mailroom.mailroom().core().oauthTokens();
        CountDownLatch go = new CountDownLatch(1);

        List<CompletableFuture<Credential>> both = List.of(1, 2).stream().map(n -> CompletableFuture.supplyAsync(() -> {
            await(go);
            return tokens.credential(mailbox, "eve@example.com");
        })).toList();
        go.countDown();

        assertThat(both.get(0).get().secret()).isEqualTo(both.get(1).get().secret());
        assertThat(fixture.tokenGrants()).containsExactly("refresh_token");
    }

    @Test
    void a_revoked_grant_marks_the_mailbox_auth_failed_and_tells_the_owner_once() {
        ApiClient admin = fixture.admin;
        long userId = admin.post("/api/users", Map.of("name", "Fay", "email", "fay@example.com")).json().get("id").asLong();
        String fayToken = admin.post("/api/tokens", Map.of("user_id", userId)).json().get("token").asText();
        ApiClient fay = fixture.mailroom.client(fayToken);
        long id = connect(fayToken, "fay@example.com");
        fixture.expireSoon(id);
        JsonNode check;
        try (ScriptedTokenEndpoint revoked = new ScriptedTokenEndpoint(400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}")) {
            fixture.useTokenEndpoint(revoked.url());
            fay.post("/api/mailboxes/" + id + "/sync?wait=true", null);
            fay.post("/api/mailboxes/" + id + "/sync?wait=true", null);
            check = fay.post("/api/mailboxes/" + id + "/oauth/refresh", null).json();
            assertThat(revoked.requests.get()).isEqualTo(3);
        } finally {
            fixture.useTokenEndpoint(null);
        }

        assertThat(check.get("ok").asBoolean()).isFalse();
        assertThat(check.get("error").asText()).contains("invalid_grant");
        JsonNode mailbox = fay.get("/api/mailboxes/" + id).json();
        assertThat(mailbox.get("status").asText()).isEqualTo("auth_failed");
        assertThat(mailbox.get("last_error").asText()).contains("invalid_grant");
        JsonNode notifications = fay.get("/api/notifications").json();
        assertThat(notifications.get("total").asLong()).isEqualTo(1);
        assertThat(notifications.get("items").get(0).get("kind").asText()).isEqualTo("credentials_failed");
    }

    @Test
    void a_temporary_failure_backs_off_without_telling_anyone() {
        long id = connect(adminToken, "gus@example.com");
        fixture.expireSoon(id);
        try (ScriptedTokenEndpoint down = new ScriptedTokenEndpoint(503, "{}")) {
            fixture.useTokenEndpoint(down.url());
            JsonNode check = fixture.admin.post("/api/mailboxes/" + id + "/oauth/refresh", null).json();
            assertThat(check.get("ok").asBoolean()).isFalse();
            assertThat(check.get("error").asText()).contains("503");

            // the token is still valid for a minute: the sync uses it and leaves the token endpoint alone
            JsonNode poll = fixture.admin.post("/api/mailboxes/" + id + "/sync?wait=true", null).json();
            assertThat(poll.get("status").asText()).isEqualTo("ok");
            assertThat(down.requests.get()).isEqualTo(1);
        } finally {
            fixture.useTokenEndpoint(null);
        }
        assertThat(fixture.query("SELECT count(*) FROM notifications WHERE mailbox_id = ?", Long.class, id)).isZero();
        assertThat(fixture.query("SELECT retry_after IS NOT NULL FROM oauth_grants WHERE mailbox_id = ?", Boolean.class, id))
                .isTrue();
    }

    @Test
    void refresh_now_answers_the_new_expiry_and_never_a_token() {
        long id = connect(adminToken, "hal@example.com");

        ApiClient.Reply reply = fixture.admin.post("/api/mailboxes/" + id + "/oauth/refresh", null);

        assertThat(reply.json().get("ok").asBoolean()).as(reply.body()).isTrue();
        assertThat(reply.json().get("expires_at").asText()).isNotBlank();
        assertThat(reply.json().get("error").isNull()).isTrue();
        assertThat(reply.body()).doesNotContain("access_token", "refresh_token", "ey");
        assertThat(fixture.tokenGrants()).containsExactly("refresh_token");
    }

    @Test
    void the_periodic_job_refreshes_a_grant_nothing_used_lately() {
        long id = connect(adminToken, "ivy@example.com");
        fixture.mailroom.mailroom().core().database().jdbi().useHandle(handle -> handle.execute(
                "UPDATE oauth_grants SET refreshed_at = now() - interval '30 days' WHERE mailbox_id = ?", id));

        new RefreshJob(fixture.mailroom.mailroom().core().database().jdbi(), fixture.mailroom.mailroom().core().oauthTokens(),
                java.time.Clock.systemUTC()).run();

        assertThat(fixture.tokenGrants()).containsExactly("refresh_token");
        assertThat(fixture.query("SELECT refreshed_at > now() - interval '1 minute' FROM oauth_grants WHERE mailbox_id = ?",
                Boolean.class, id)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
