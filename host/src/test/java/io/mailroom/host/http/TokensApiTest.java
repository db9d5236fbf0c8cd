package io.mailroom.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/tokens} and {@code DELETE /api/tokens/{id}}, and how a token's use is recorded. */
class TokensApiTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static Jdbi jdbi;

    @BeforeAll
    static void start() {
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
        jdbi = mailroom.mailroom().core().database().jdbi();
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    private static long createUser(String email) {
        Reply reply = admin.post("/api/users", Map.of("name", "Someone", "email", email));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asLong();
    }

    private static String tokenFor(long userId, String name) {
        Reply reply = admin.post("/api/tokens", Map.of("user_id", userId, "name", name));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("token").asText();
    }

    private static List<JsonNode> items(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("items").forEach(items::add);
        return items;
    }

    @Test
    void a_user_lists_their_own_tokens_without_any_secret_and_a_superadmin_lists_all() {
        long ann = createUser("list-ann@example.com");
        long bob = createUser("list-bob@example.com");
        String annToken = tokenFor(ann, "ann laptop");
        tokenFor(ann, "ann ci");
        tokenFor(bob, "bob laptop");

        Reply asAnn = mailroom.client(annToken).get("/api/tokens");
        List<JsonNode> annsTokens = items(asAnn);

        assertThat(annsTokens).extracting(token -> token.get("name").asText()).containsExactly("ann laptop", "ann ci");
        assertThat(annsTokens).allSatisfy(token -> {
            assertThat(token.get("user_id").asLong()).isEqualTo(ann);
            assertThat(token.has("id")).isTrue();
            assertThat(token.has("created_at")).isTrue();
            assertThat(token.has("last_used_at")).isTrue();
            assertThat(token.has("token")).isFalse();
            assertThat(token.has("token_hash")).isFalse();
        });
        assertThat(asAnn.json().get("total").asLong()).isEqualTo(2);
        assertThat(asAnn.body()).doesNotContain(annToken.substring(3));
        assertThat(items(admin.get("/api/tokens?limit=500"))).extracting(token -> token.get("user_id").asLong())
                .contains(ann, bob);
    }

    @Test
    void the_token_list_pages_like_every_list() {
        long carl = createUser("page-carl@example.com");
        String token = tokenFor(carl, "one");
        tokenFor(carl, "two");
        tokenFor(carl, "three");
        ApiClient asCarl = mailroom.client(token);

        JsonNode first = asCarl.get("/api/tokens?limit=2").json();
        JsonNode second = asCarl.get("/api/tokens?limit=2&cursor=" + first.get("next_cursor").asText()).json();

        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("total").asLong()).isEqualTo(3);
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("items").get(0).get("name").asText()).isEqualTo("three");
        assertThat(second.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void a_revoked_token_stops_working_and_another_users_token_is_a_404() {
        long dora = createUser("revoke-dora@example.com");
        long emil = createUser("revoke-emil@example.com");
        String doraToken = tokenFor(dora, "dora");
        String doraSpare = tokenFor(dora, "dora spare");
        String emilToken = tokenFor(emil, "emil");
        ApiClient asDora = mailroom.client(doraToken);
        long spareId = idOf(asDora, "dora spare");
        long emilsId = idOf(mailroom.client(emilToken), "emil");

        assertThat(asDora.delete("/api/tokens/" + emilsId).status()).isEqualTo(404);
        assertThat(asDora.delete("/api/tokens/" + emilsId).json().get("error").asText()).isEqualTo("not_found");
        assertThat(mailroom.client(emilToken).get("/api/me").status()).isEqualTo(200);

        assertThat(asDora.delete("/api/tokens/" + spareId).status()).isEqualTo(204);
        assertThat(mailroom.client(doraSpare).get("/api/me").status()).isEqualTo(401);
        assertThat(asDora.delete("/api/tokens/" + spareId).status()).isEqualTo(404);

        assertThat(admin.delete("/api/tokens/" + emilsId).status()).isEqualTo(204);
        assertThat(mailroom.client(emilToken).get("/api/me").status()).isEqualTo(401);
    }

    @Test
    void a_tokens_use_is_written_at_most_once_a_minute() {
        long fay = createUser("use-fay@example.com");
        String token = tokenFor(fay, "fay");
        ApiClient asFay = mailroom.client(token);
        long id = idOf(asFay, "fay");

        setLastUsed(id, "now() - INTERVAL '30 seconds'");
        Instant recent = lastUsed(id);
        asFay.get("/api/me");
        asFay.get("/api/me");
        assertThat(lastUsed(id)).as("used 30 s ago: not written again").isEqualTo(recent);

        setLastUsed(id, "now() - INTERVAL '2 minutes'");
        Instant old = lastUsed(id);
        asFay.get("/api/me");
        assertThat(lastUsed(id)).as("used 2 min ago: written").isAfter(old.plusSeconds(60));
    }

    private static long idOf(ApiClient client, String name) {
        return items(client.get("/api/tokens")).stream().filter(token -> token.get("name").asText().equals(name))
                .findFirst().orElseThrow().get("id").asLong();
    }

    private static void setLastUsed(long id, String sql) {
        jdbi.useHandle(handle -> handle.execute("UPDATE api_tokens SET last_used_at = " + sql + " WHERE id = ?", id));
    }

    private static Instant lastUsed(long id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT last_used_at FROM api_tokens WHERE id = :id")
                .bind("id", id).mapTo(Instant.class).one());
    }
}
