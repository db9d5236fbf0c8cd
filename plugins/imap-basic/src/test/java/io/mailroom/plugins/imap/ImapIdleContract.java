package io.mailroom.plugins.imap;

import io.mailroom.api.MailroomException;
import io.mailroom.api.source.SourceConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link SourceConnection#awaitChange} promises, held against one IMAP server. Timings are
 * printed; the assertions on them are generous bounds, not the latency goal.
 */
abstract class ImapIdleContract {

    static final Duration LONG = Duration.ofSeconds(30);
    static final Duration SHORT = Duration.ofMillis(250);

    /** A connection to the test user's mailbox. */
    abstract SourceConnection connect();

    /** Appends a message to the user's INBOX as another client would. */
    abstract void appendByAnotherClient(String subject);

    abstract void createFolder(String name);

    /**
     * The thread the host runs a watch on (the host's {@code PushWatchers.watchThreads}): a
     * virtual thread from JDK 24 on, a platform thread before, where a virtual thread blocked in
     * Angus' synchronized reads pins its carrier.
     */
    static Thread.Builder watchThread() {
        return Runtime.version().feature() >= 24 ? Thread.ofVirtual() : Thread.ofPlatform().daemon(true);
    }

    /** A wait in a thread of its own, as the host runs one per watched folder. */
    static CompletableFuture<Boolean> waitInBackground(SourceConnection connection, Duration timeout) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        watchThread().name("await INBOX").start(() -> {
            try {
                result.complete(connection.awaitChange("INBOX", timeout));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    void print(String what, long millis) {
        System.out.printf("[%s] %s: %d ms%n", getClass().getSimpleName(), what, millis);
    }

    @Test
    void supports_push_where_the_server_offers_idle() {
        try (SourceConnection connection = connect()) {
            assertThat(connection.capabilities()).contains("IDLE");
            assertThat(connection.supportsPush()).isTrue();
        }
    }

    @Test
    void the_first_wait_for_a_folder_on_a_connection_says_changed_at_once_and_the_next_waits_quietly() {
        try (SourceConnection connection = connect()) {
            long start = System.nanoTime();
            assertThat(connection.awaitChange("INBOX", LONG)).as("first wait: nothing to compare with").isTrue();
            assertThat(millisSince(start)).isLessThan(5_000);

            start = System.nanoTime();
            assertThat(connection.awaitChange("INBOX", SHORT)).isFalse();
            long waited = millisSince(start);
            print("quiet wait of " + SHORT.toMillis() + " ms took", waited);
            assertThat(waited).isBetween(SHORT.toMillis() - 50, 5_000L);
        }
    }

    @Test
    void a_wait_ends_with_true_soon_after_another_client_appends() throws Exception {
        try (SourceConnection connection = connect()) {
            connection.awaitChange("INBOX", LONG);
            CompletableFuture<Boolean> waiting = waitInBackground(connection, LONG);
            Thread.sleep(300); // mostly in IDLE by now; if not, the NOOP before it sees the mail

            appendByAnotherClient("pushed");
            long appended = System.nanoTime();

            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
            print("APPEND to wait's end", millisSince(appended));
        }
    }

    @Test
    void mail_that_arrives_between_two_waits_ends_the_next_wait_at_once() {
        try (SourceConnection connection = connect()) {
            connection.awaitChange("INBOX", LONG);
            assertThat(connection.awaitChange("INBOX", SHORT)).isFalse();

            appendByAnotherClient("while the host was syncing");

            long start = System.nanoTime();
            assertThat(connection.awaitChange("INBOX", LONG)).isTrue();
            assertThat(millisSince(start)).isLessThan(5_000);
            assertThat(connection.awaitChange("INBOX", SHORT)).as("told once, not again").isFalse();
        }
    }

    @Test
    void close_from_another_thread_ends_a_wait_promptly() throws Exception {
        SourceConnection connection = connect();
        connection.awaitChange("INBOX", LONG);
        CompletableFuture<Boolean> waiting = waitInBackground(connection, LONG);
        Thread.sleep(300);

        long start = System.nanoTime();
        connection.close();
        long closed = millisSince(start);
        Boolean result = waiting.handle((changed, failure) -> {
            if (failure != null) {
                assertThat(failure).isInstanceOf(MailroomException.class);
                return false;
            }
            return changed;
        }).get(5, TimeUnit.SECONDS);

        print("close() during a wait took", closed);
        print("close() to the wait's end", millisSince(start));
        assertThat(result).isFalse();
        assertThat(closed).isLessThan(5_000);
    }

    @Test
    void a_wait_on_a_closed_connection_ends_at_once() {
        SourceConnection connection = connect();
        connection.supportsPush();
        connection.close();

        long start = System.nanoTime();
        assertThat(connection.awaitChange("INBOX", LONG)).isFalse();
        assertThat(millisSince(start)).isLessThan(1_000);
    }

    @Test
    void a_wait_for_another_folder_moves_the_watch_there() {
        try (SourceConnection connection = connect()) {
            connection.awaitChange("INBOX", LONG);
            assertThat(connection.awaitChange("INBOX", SHORT)).isFalse();
            createFolder("Watched");

            assertThat(connection.awaitChange("Watched", LONG)).as("first wait for that folder").isTrue();
            appendByAnotherClient("in INBOX, not watched any more");
            assertThat(connection.awaitChange("Watched", SHORT)).isFalse();
        }
    }

    @Test
    void a_missing_folder_fails_permanently() {
        try (SourceConnection connection = connect()) {
            assertThatThrownBy(() -> connection.awaitChange("No such folder", SHORT))
                    .isInstanceOf(io.mailroom.api.PermanentException.class);
        }
    }
}
