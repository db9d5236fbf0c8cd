package io.mailroom.host.oauth;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** One Mailroom and one OAuth server per test class, the admin's token at hand. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OAuthTestBase {

    OAuthFixture fixture;
    String adminToken;

    /** Configuration beyond the fixture's. */
    Map<String, String> configuration() {
        return Map.of();
    }

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = OAuthFixture.start(dir, configuration());
        adminToken = fixture.mailroom.adminToken();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }
}
