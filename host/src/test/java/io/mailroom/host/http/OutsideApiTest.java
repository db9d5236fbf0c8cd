package io.mailroom.host.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Paths outside {@code /api}: unknown ones are a quiet JSON 404, and {@code /} says where to go. */
class OutsideApiTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;

    @BeforeAll
    static void start() {
        mailroom = TestMailroom.start(dir);
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    @Test
    void an_unknown_path_outside_the_api_is_a_json_404_and_logs_no_error() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            for (String path : new String[]{"/favicon.ico", "/docs", "/nothing/here"}) {
                Reply reply = mailroom.client(null).get(path);

                assertThat(reply.status()).as(path).isEqualTo(404);
                assertThat(reply.json().get("error").asText()).as(path).isEqualTo("not_found");
            }
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void the_root_path_points_at_health_and_the_api_documents() {
        Reply reply = mailroom.client(null).get("/");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("health").asText()).isEqualTo("/health");
        assertThat(reply.json().get("openapi").asText()).isEqualTo("/openapi.json");
        assertThat(mailroom.client(null).get(reply.json().get("openapi").asText()).status()).isEqualTo(200);
    }
}
