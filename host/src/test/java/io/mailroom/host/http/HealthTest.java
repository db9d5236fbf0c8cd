package io.mailroom.host.http;

import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.store.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthTest {

    @Test
    void health_is_503_while_the_database_refuses_connections_and_up_again_after(@TempDir Path dir) throws Exception {
        String url = TestDatabase.freshDatabaseUrl();
        String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        Jdbi server = Jdbi.create(url.replace("/" + database + "?", "/postgres?"));
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url))) {
            assertThat(mailroom.client(null).get("/health").status()).isEqualTo(200);

            server.useHandle(handle -> {
                handle.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
                handle.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?", database);
            });
            Reply down = healthOnceIt(mailroom, 503);

            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("status").asText()).isEqualTo("down");
            assertThat(down.json().get("db").asText()).isEqualTo("down");

            server.useHandle(handle -> handle.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true"));
            assertThat(healthOnceIt(mailroom, 200).status()).isEqualTo(200);
        }
    }

    /** Terminated sessions end asynchronously: ask until the answer has the status, for at most 10 s. */
    private static Reply healthOnceIt(TestMailroom mailroom, int status) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Reply reply = mailroom.client(null).get("/health");
        while (reply.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            reply = mailroom.client(null).get("/health");
        }
        return reply;
    }
}
