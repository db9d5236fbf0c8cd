package io.mailroom.host.http;

import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin pages and Swagger UI come from the host jar, with a policy that allows no inline script and no framing. */
class AdminPagesTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        mailroom = TestMailroom.start(dir);
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + mailroom.mailroom().port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_workspace_is_served_with_a_policy_that_allows_no_inline_script_and_no_framing() throws Exception {
        HttpResponse<String> page = get("/admin/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
                .doesNotContain("unsafe-eval").doesNotContainPattern("script-src[^;]*unsafe-inline");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/admin/js/app.js\"></script>")
                .doesNotContain("<script>").doesNotContain("style=");
        assertThat(get("/admin/js/app.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        assertThat(get("/admin/app.css").statusCode()).isEqualTo(200);
    }

    @Test
    void the_oauth_callback_s_way_back_opens_the_workspace() throws Exception {
        HttpResponse<String> page = get("/admin/mailboxes/7?connected=google");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/admin/js/app.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void swagger_ui_is_served_from_the_webjar_at_api_docs_without_a_token() throws Exception {
        HttpResponse<String> docs = get("/api/docs");

        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/admin/vendor/swagger-ui/swagger-ui-bundle.js").doesNotContain("https://");
        assertThat(docs.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(get("/admin/vendor/swagger-ui/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
        assertThat(get("/admin/vendor/swagger-ui/swagger-ui.css").statusCode()).isEqualTo(200);
        // the rest of /api still needs its token
        assertThat(get("/api/docs/../me").statusCode()).isIn(401, 404);
        assertThat(get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    void nothing_outside_the_pages_folder_is_served() throws Exception {
        for (String path : new String[]{"/admin/..%2Fopenapi.json", "/admin/js/..%2F..%2Flogback.xml", "/admin/missing.html",
            "/admin/.hidden.js", "/admin/vendor/swagger-ui/..%2F..%2F..%2Fmaven%2Forg.webjars%2Fswagger-ui%2Fpom.xml"}) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void a_schedule_preview_gives_the_next_three_runs_or_the_error_at_schedule() {
        Reply next = mailroom.admin().post("/api/schedules/preview", Map.of("schedule", "0 0 */6 * * ?"));

        assertThat(next.status()).isEqualTo(200);
        assertThat(next.json().get("next")).hasSize(3);

        Reply wrong = mailroom.admin().post("/api/schedules/preview", Map.of("schedule", "every minute"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().at("/details/path").asText()).isEqualTo("schedule");
    }
}
