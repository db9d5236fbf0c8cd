package io.mailroom.host.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.auth.User;
import io.mailroom.host.auth.UserDao;
import io.mailroom.host.auth.UserInput;
import io.mailroom.host.auth.Users;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import io.mailroom.testkit.context.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login throttling over HTTP: an address that sends too many wrong tokens gets 429 with
 * Retry-After, even for a good token, until the window passes; another address is unaffected;
 * the lockout is logged once, with the address and count but never a token. Requests go out
 * from two loopback addresses (127.0.0.1 and 127.0.0.2) over plain sockets, and the clock is
 * moved by hand.
 */
class FailedLoginsTest {

    private static final int LIMIT = 5;
    private static final Duration WINDOW = Duration.ofSeconds(60);

    private static Database database;
    private static String goodToken;
    private SettableClock clock;
    private ApiServer server;

    @BeforeAll
    static void database() {
        database = TestDatabase.create();
        Users users = new Users(database.jdbi());
        User ann = users.create(new UserInput("Ann", "ann@example.com", "user", List.of()));
        goodToken = users.issueToken(ann.id(), "good");
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void server() {
        clock = new SettableClock(Instant.parse("2026-11-30T00:00:00Z"));
        FailedLogins failedLogins = new FailedLogins(LIMIT, WINDOW, clock);
        server = new ApiServer(new Authentication(database.jdbi().onDemand(UserDao.class), failedLogins),
                new SimpleMeterRegistry(), List.of(new UserRoutes(new Users(database.jdbi()), database.jdbi())))
                .start(0);
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        server.close();
    }

    @Test
    void an_address_guessing_tokens_is_refused_until_the_window_passes_and_others_are_not() {
        String guessed = "mr_test-guess-0000000000";
        for (int i = 0; i < LIMIT; i++) {
            assertThat(get("127.0.0.1", guessed + i).status).as("guess %d", i).isEqualTo(401);
        }

        Answer locked = get("127.0.0.1", goodToken);
        assertThat(locked.status).as("even a good token waits: the token is not checked").isEqualTo(429);
        assertThat(locked.body).contains("\"too_many_failed_logins\"");
        assertThat(locked.header("Retry-After")).isEqualTo("60");
        assertThat(get("127.0.0.1", guessed).status).isEqualTo(429);
        assertThat(get("127.0.0.1", null).status).as("no token, nothing to check").isEqualTo(401);

        assertThat(get("127.0.0.2", goodToken).status).as("another address").isEqualTo(200);
        assertThat(get("127.0.0.2", guessed).status).isEqualTo(401);

        clock.advance(Duration.ofSeconds(45));
        Answer later = get("127.0.0.1", goodToken);
        assertThat(later.status).isEqualTo(429);
        assertThat(later.header("Retry-After")).isEqualTo("15");

        clock.advance(Duration.ofSeconds(15));
        assertThat(get("127.0.0.1", goodToken).status).as("the window has passed").isEqualTo(200);
        assertThat(get("127.0.0.1", guessed).status).as("a clean slate: one guess is a 401 again").isEqualTo(401);
    }

    @Test
    void the_configured_limit_applies_to_the_whole_server(@TempDir Path dir) {
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.auth.failures.limit", "3"))) {
            ApiClient guesser = mailroom.client("mr_test-wrong-token");
            for (int i = 0; i < 3; i++) {
                assertThat(guesser.get("/api/me").status()).isEqualTo(401);
            }
            ApiClient.Reply refused = mailroom.admin().get("/api/me");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().get("error").asText()).isEqualTo("too_many_failed_logins");
            assertThat(mailroom.client(mailroom.adminToken()).get("/metrics").status()).isEqualTo(429);
        }
    }

    @Test
    void failures_spread_wider_than_the_window_never_lock_out() {
        for (int i = 0; i < LIMIT * 3; i++) {
            assertThat(get("127.0.0.1", "mr_test-slow-guess").status).isEqualTo(401);
            clock.advance(WINDOW.dividedBy(LIMIT - 1));
        }
        assertThat(get("127.0.0.1", goodToken).status).isEqualTo(200);
    }

    @Test
    void a_malformed_header_counts_as_a_failure() {
        for (int i = 0; i < LIMIT; i++) {
            assertThat(send("127.0.0.1", "Authorization: Basic dGVzdDp0ZXN0").status).isEqualTo(401);
        }
        assertThat(get("127.0.0.1", goodToken).status).isEqualTo(429);
    }

    @Test
    void a_lockout_is_logged_once_with_address_and_count_but_no_token() {
        Logger logger = (Logger) LoggerFactory.getLogger(FailedLogins.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        String guessed = "mr_test-secret-guess-4711";
        try {
            for (int i = 0; i < LIMIT + 3; i++) {
                get("127.0.0.1", guessed);
            }
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).hasSize(1);
        ILoggingEvent event = logged.list.getFirst();
        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getFormattedMessage()).contains("127.0.0.1").contains(LIMIT + " failed token checks")
                .doesNotContain(guessed).doesNotContain("mr_test");
    }

    @Test
    void the_tracked_addresses_are_bounded_and_the_oldest_forgotten() {
        FailedLogins failedLogins = new FailedLogins(2, WINDOW, clock);
        failedLogins.failed("192.0.2.1");
        for (int i = 0; i < FailedLogins.MAX_ADDRESSES; i++) {
            failedLogins.failed("198.51.100." + i);
        }
        failedLogins.failed("192.0.2.1");
        assertThat(failedLogins.lockedFor("192.0.2.1")).as("its first failure was forgotten").isEmpty();
        failedLogins.failed("192.0.2.1");
        assertThat(failedLogins.lockedFor("192.0.2.1")).isPresent();
    }

    private record Answer(int status, String head, String body) {
        String header(String name) {
            return head.lines().filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(line -> line.substring(name.length() + 1).trim()).findFirst().orElse(null);
        }
    }

    private Answer get(String from, String token) {
        return send(from, token == null ? null : "Authorization: Bearer " + token);
    }

    /** One HTTP/1.1 request to /api/me from the local address {@code from}. */
    private Answer send(String from, String header) {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), server.port(), InetAddress.getByName(from), 0)) {
            OutputStream out = socket.getOutputStream();
            String request = "GET /api/me HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (header == null ? "" : header + "\r\n") + "\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            String head = response.substring(0, split);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, response.substring(split + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
