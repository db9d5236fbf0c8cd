package io.mailroom.host.http;

import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Who reads {@code /metrics}: a token with the metrics capability, or anyone on the loopback metrics port. */
class MetricsAccessTest {

    @Test
    void metrics_on_the_api_port_need_a_token_with_the_metrics_capability(@TempDir Path dir) {
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            ApiClient admin = mailroom.admin();
            String plain = tokenFor(admin, userWith(admin, "plain@example.com", List.of()));
            String scraper = tokenFor(admin, userWith(admin, "scraper@example.com", List.of("metrics")));

            Reply anonymous = mailroom.client(null).get("/metrics");
            Reply forged = mailroom.client("mr_not-a-token").get("/metrics");
            Reply withoutCapability = mailroom.client(plain).get("/metrics");
            Reply withCapability = mailroom.client(scraper).get("/metrics");

            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(forged.status()).isEqualTo(401);
            assertThat(withoutCapability.status()).isEqualTo(403);
            assertThat(withoutCapability.json().get("error").asText()).isEqualTo("forbidden");
            assertThat(withoutCapability.body()).doesNotContain("jvm_memory");
            assertThat(withCapability.status()).isEqualTo(200);
            assertThat(withCapability.body()).contains("# TYPE jvm_memory_used_bytes gauge");
            assertThat(mailroom.mailroom().metricsPort()).as("no metrics port unless configured").isEmpty();
        }
    }

    @Test
    void the_metrics_port_serves_metrics_without_a_token_on_loopback_and_nothing_else(@TempDir Path dir) {
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.metrics.port", "0"))) {
            int port = mailroom.mailroom().metricsPort().orElseThrow();
            ApiClient metricsPort = new ApiClient("http://127.0.0.1:" + port, null);

            Reply metrics = metricsPort.get("/metrics");
            Reply api = metricsPort.get("/api/me");

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.contentType()).startsWith("text/plain");
            assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge");
            assertThat(api.status()).isEqualTo(404);
            assertThat(mailroom.client(null).get("/metrics").status()).as("the API port still wants a token").isEqualTo(401);
        }
    }

    private static long userWith(ApiClient admin, String email, List<String> capabilities) {
        Reply reply = admin.post("/api/users", Map.of("name", "Someone", "email", email, "capabilities", capabilities));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asLong();
    }

    private static String tokenFor(ApiClient admin, long userId) {
        return admin.post("/api/tokens", Map.of("user_id", userId, "name", "test")).json().get("token").asText();
    }
}
