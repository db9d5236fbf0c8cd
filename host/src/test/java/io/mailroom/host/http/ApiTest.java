package io.mailroom.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;

    @BeforeAll
    static void start() {
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    private static long createUser(String email, String role) {
        Reply reply = admin.post("/api/users", Map.of("name", "Someone", "email", email, "role", role));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asLong();
    }

    private static String tokenFor(long userId) {
        Reply reply = admin.post("/api/tokens", Map.of("user_id", userId, "name", "test"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("token").asText();
    }

    @Test
    void every_api_route_refuses_a_request_without_a_valid_token() {
        for (ApiServer.Route route : mailroom.mailroom().server().routes()) {
            if (!route.path().startsWith("/api")) {
                continue;
            }
            String path = route.path().replaceAll("\\{[^}]+}", "1");
            Reply anonymous = mailroom.client(null).send(route.method(), path, null);
            Reply forged = mailroom.client("mr_not-a-token").send(route.method(), path, null);

            if (route.path().equals("/api/oauth/{provider}/callback")) {
                // the provider's redirect carries no token: the signed state and the starting browser's
                // cookie are its credential, and without them it is refused (OAuthFlowTest, StateAbuseTest)
                assertThat(anonymous.status()).as(route.toString()).isEqualTo(400);
                assertThat(anonymous.json().get("error").asText()).isEqualTo("invalid_state");
                assertThat(forged.status()).as(route.toString()).isEqualTo(401);
                continue;
            }
            if (route.path().equals("/api/docs")) {
                // Swagger UI: a static page over the public /openapi.json, holding nothing (AdminPagesTest)
                assertThat(anonymous.status()).as(route.toString()).isEqualTo(200);
                assertThat(forged.status()).as(route.toString()).isEqualTo(401);
                continue;
            }
            assertThat(anonymous.status()).as(route.toString()).isEqualTo(401);
            assertThat(anonymous.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(forged.status()).as(route.toString()).isEqualTo(401);
        }
    }

    @Test
    void me_tells_the_caller() {
        JsonNode me = admin.get("/api/me").json();

        assertThat(me.get("role").asText()).isEqualTo("superadmin");
        assertThat(me.has("id")).isTrue();
    }

    @Test
    void health_is_up_without_a_token() {
        Reply health = mailroom.client(null).get("/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json()).isEqualTo(admin.get("/health").json());
        assertThat(health.json().get("status").asText()).isEqualTo("up");
        assertThat(health.json().get("db").asText()).isEqualTo("up");
    }

    @Test
    void metrics_are_in_prometheus_text_format() {
        admin.get("/api/me");
        Reply metrics = admin.get("/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge").contains("mailroom_http_requests_seconds_count");
    }

    @Test
    void a_superadmin_creates_reads_changes_and_deletes_a_user() {
        long id = createUser("ann@example.com", "user");

        assertThat(admin.get("/api/users/" + id).json().get("email").asText()).isEqualTo("ann@example.com");
        Reply changed = admin.put("/api/users/" + id, Map.of("name", "Ann", "capabilities", List.of("credential_notifications")));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("name").asText()).isEqualTo("Ann");
        assertThat(changed.json().get("email").asText()).isEqualTo("ann@example.com");
        assertThat(changed.json().get("capabilities").get(0).asText()).isEqualTo("credential_notifications");
        assertThat(admin.delete("/api/users/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/api/users/" + id).status()).isEqualTo(404);
    }

    @Test
    void a_user_may_not_manage_users_and_sees_no_other_users_token() {
        long ann = createUser("ann2@example.com", "user");
        long bob = createUser("bob2@example.com", "user");
        ApiClient asAnn = mailroom.client(tokenFor(ann));

        assertThat(asAnn.get("/api/users").status()).isEqualTo(403);
        assertThat(asAnn.get("/api/users").json().get("error").asText()).isEqualTo("forbidden");
        assertThat(asAnn.post("/api/tokens", Map.of("user_id", bob)).status()).isEqualTo(404);
        Reply own = asAnn.post("/api/tokens", Map.of("user_id", ann));
        assertThat(own.status()).isEqualTo(201);
        assertThat(mailroom.client(own.json().get("token").asText()).get("/api/me").json().get("id").asLong()).isEqualTo(ann);
    }

    @Test
    void bad_input_is_a_400_naming_the_field_and_changes_nothing() {
        long before = admin.get("/api/users").json().get("total").asLong();

        Reply badEmail = admin.post("/api/users", Map.of("name", "X", "email", "not-an-address"));
        Reply badRole = admin.post("/api/users", Map.of("name", "X", "email", "x@example.com", "role", "king"));
        Reply badCapability = admin.post("/api/users", Map.of("name", "X", "email", "x@example.com",
                "capabilities", List.of("credential_notifications", "fly")));
        Reply unknownField = admin.post("/api/users", Map.of("name", "X", "email", "x@example.com", "colour", "red"));
        Reply notJson = admin.post("/api/users", "{\"name\": ");

        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(badEmail.json().at("/details/path").asText()).isEqualTo("email");
        assertThat(badRole.json().at("/details/path").asText()).isEqualTo("role");
        assertThat(badCapability.json().at("/details/path").asText()).isEqualTo("capabilities[1]");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().at("/details/path").asText()).isEqualTo("colour");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").asText()).isEqualTo("invalid_json");
        assertThat(admin.get("/api/users").json().get("total").asLong()).isEqualTo(before);
    }

    @Test
    void a_duplicate_email_is_a_conflict_and_the_last_superadmin_stays() {
        createUser("dup@example.com", "user");
        long self = admin.get("/api/me").json().get("id").asLong();

        assertThat(admin.post("/api/users", Map.of("name", "Y", "email", "DUP@example.com")).status()).isEqualTo(409);
        assertThat(admin.delete("/api/users/" + self).status()).isEqualTo(409);
        assertThat(admin.put("/api/users/" + self, Map.of("role", "user")).status()).isEqualTo(409);
    }

    @Test
    void lists_page_with_an_opaque_cursor() {
        for (int i = 0; i < 3; i++) {
            createUser("page" + i + "@example.com", "user");
        }
        long total = admin.get("/api/users").json().get("total").asLong();

        JsonNode first = admin.get("/api/users?limit=2").json();
        JsonNode second = admin.get("/api/users?limit=2&cursor=" + first.get("next_cursor").asText()).json();

        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("total").asLong()).isEqualTo(total);
        assertThat(second.get("items").get(0).get("id").asLong())
                .isGreaterThan(first.get("items").get(1).get("id").asLong());
        assertThat(admin.get("/api/users?limit=501").json().at("/details/path").asText()).isEqualTo("limit");
    }

    @Test
    void every_answer_is_json_a_browser_may_not_sniff_into_a_page() throws Exception {
        long id = createUser("xss@example.com", "user");
        assertThat(admin.put("/api/users/" + id, Map.of("name", "<script>window.__xss=1</script><img src=x onerror=alert(1)>"))
                .status()).isEqualTo(200);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = "http://localhost:" + mailroom.mailroom().port();
        for (String[] request : new String[][] {{"/api/users/" + id, mailroom.adminToken()}, {"/api/users/" + id, null},
            {"/api/users/" + id, "not-a-token"}, {"/api/nothing-here", mailroom.adminToken()}}) {
            var builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + request[0]))
                    .header("Accept", "text/html");
            if (request[1] != null) {
                builder.header("Authorization", "Bearer " + request[1]);
            }
            var response = http.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(response.headers().firstValue("Content-Type")).as(request[0] + " " + response.statusCode())
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(request[0]).hasValue("nosniff");
        }
    }

    @Test
    void an_unknown_route_is_a_json_404() {
        Reply reply = admin.get("/api/nothing-here");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void plugins_are_listed_for_any_caller() {
        Reply reply = admin.get("/api/plugins");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().isArray()).isTrue();
    }
}
