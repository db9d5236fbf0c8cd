package io.mailroom.dist;

import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.dovecot.DovecotServer;
import io.mailroom.testkit.mail.MailCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The push benchmark of docs/PERFORMANCE.md: latency from an APPEND to the message in the API,
 * p50 and p99 over 200 messages; then heap and threads of one host watching many mailboxes.
 * Not a test: it prints figures. Run it with {@code -Pbenchmark}.
 */
class PushBenchmark {

    private static final int SAMPLES = 200;
    private static final int MAILBOXES = Integer.getInteger("benchmark.push.mailboxes", 1000);
    /** Past 128 IMAP processes Dovecot runs out of inotify instances and falls back to polling its folders. */
    private static final String DOVECOT_AT_SCALE = """
            default_process_limit = %d
            default_client_limit = %d
            mailbox_idle_check_interval = 1 secs
            """.formatted(MAILBOXES * 3 + 100, MAILBOXES * 6 + 1000);

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic");
        try (DovecotServer dovecot = DovecotServer.start(dir.resolve("dovecot"), false, DOVECOT_AT_SCALE);
             TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.poll.frequency", "3600"))) {
            ApiClient admin = mailroom.admin();
            long mailbox = pushMailbox(admin, dovecot, "latency");
            awaitTotal(admin, mailbox, 0, Duration.ofSeconds(60));
            List<byte[]> mails = MailCorpus.generate(SAMPLES, 5, Instant.now());
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < SAMPLES; i++) {
                long start = System.nanoTime();
                dovecot.append("latency", "INBOX", mails.get(i));
                awaitTotal(admin, mailbox, i + 1, Duration.ofSeconds(60));
                millis.add((System.nanoTime() - start) / 1e6);
            }
            millis.sort(Double::compare);
            report("push latency APPEND -> API over %d messages: p50 %.0f ms, p99 %.0f ms, max %.0f ms", SAMPLES,
                    millis.get(SAMPLES / 2), millis.get(SAMPLES * 99 / 100), millis.getLast());

            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            for (int i = 0; i < MAILBOXES; i++) {
                pushMailbox(admin, dovecot, "many" + i);
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (connections(admin) < MAILBOXES + 1 && System.nanoTime() < deadline) {
                Thread.sleep(1000);
            }
            Thread.sleep(10_000);
            System.gc();
            Thread.sleep(1000);
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            report("%d mailboxes watched (push connections %d): heap after GC %.0f MB, platform threads %d (%d before)",
                    MAILBOXES, connections(admin), heap / 1e6, ManagementFactory.getThreadMXBean().getThreadCount(),
                    threadsBefore);
        }
    }

    private static long pushMailbox(ApiClient admin, DovecotServer dovecot, String user) {
        dovecot.addUser(user, "pw");
        return admin.post("/api/mailboxes", Map.of("name", user, "email", user + "@example.com", "source", "imap",
                "push", true, "settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(), "security", "none",
                        "username", user, "password", "pw"))).json().get("id").asLong();
    }

    private static void awaitTotal(ApiClient admin, long mailbox, long total, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (admin.get("/api/messages?mailbox_id=" + mailbox + "&limit=1").json().get("total").asLong() < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("message " + total + " did not arrive within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    private static int connections(ApiClient admin) {
        return admin.get("/metrics").body().lines().filter(line -> line.startsWith("mailroom_push_connections "))
                .map(line -> (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    private static void report(String format, Object... args) {
        System.out.printf("BENCHMARK " + format + "%n", args);
    }
}
