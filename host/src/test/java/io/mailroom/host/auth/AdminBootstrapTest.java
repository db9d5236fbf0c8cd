package io.mailroom.host.auth;

import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdminBootstrapTest {

    @Test
    void the_first_start_prints_a_token_once_and_it_keeps_working_after_a_restart(@TempDir Path dir) {
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            String token = mailroom.adminToken();
            assertThat(token).startsWith("mr_");

            mailroom.restart();

            assertThat(mailroom.printed().lines().filter(line -> line.startsWith("Admin token"))).hasSize(1);
            assertThat(mailroom.client(token).get("/api/me").status()).isEqualTo(200);
        }
    }

    @Test
    void a_configured_admin_token_is_accepted_and_not_printed(@TempDir Path dir) {
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.admin.token", "let-me-in-0123456789"))) {
            assertThat(mailroom.printed()).doesNotContain("Admin token");
            assertThat(mailroom.client("let-me-in-0123456789").get("/api/me").json().get("role").asText())
                    .isEqualTo("superadmin");
            assertThat(mailroom.client("let-me-in-0123456789x").get("/api/me").status()).isEqualTo(401);
        }
    }

    @Test
    void changing_the_configured_admin_token_revokes_the_old_one(@TempDir Path dir) {
        String url = TestDatabase.freshDatabaseUrl();
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url,
                "mailroom.admin.token", "first-admin-token-0123456789"))) {
            assertThat(mailroom.client("first-admin-token-0123456789").get("/api/me").status()).isEqualTo(200);
        }
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url,
                "mailroom.admin.token", "second-admin-token-0123456789"))) {
            assertThat(mailroom.client("second-admin-token-0123456789").get("/api/me").status()).isEqualTo(200);
            assertThat(mailroom.client("first-admin-token-0123456789").get("/api/me").status()).isEqualTo(401);
        }
    }

    @Test
    void a_token_named_like_the_admin_token_is_not_revoked_with_it(@TempDir Path dir) {
        String url = TestDatabase.freshDatabaseUrl();
        String named;
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url,
                "mailroom.admin.token", "first-admin-token-0123456789"))) {
            ApiClient admin = mailroom.client("first-admin-token-0123456789");
            long self = admin.get("/api/me").json().get("id").asLong();
            named = admin.post("/api/tokens", Map.of("user_id", self, "name", "MAILROOM_ADMIN_TOKEN"))
                    .json().get("token").asText();
        }
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url,
                "mailroom.admin.token", "second-admin-token-0123456789"))) {
            assertThat(mailroom.client(named).get("/api/me").status()).isEqualTo(200);
        }
    }
}
