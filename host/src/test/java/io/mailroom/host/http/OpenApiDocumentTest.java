package io.mailroom.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiDocumentTest {

    @Test
    void every_registered_route_is_in_the_openapi_document(@TempDir Path dir) {
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            JsonNode paths = mailroom.client(null).get("/openapi.json").json().get("paths");

            assertThat(mailroom.mailroom().server().routes()).isNotEmpty().allSatisfy(route ->
                    assertThat(paths.path(route.path()).has(route.method().toLowerCase(Locale.ROOT)))
                            .as("%s %s is documented in openapi.json", route.method(), route.path())
                            .isTrue());
        }
    }
}
