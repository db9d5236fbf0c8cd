package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.dovecot.DovecotServer;
import io.mailroom.testkit.mail.MailCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The import benchmark of docs/PERFORMANCE.md: Mailroom's first import of a Dovecot folder
 * against mbsync and a raw UID FETCH of the same folder, the cost of a sync when nothing
 * changed, and the heap a 25 MB message takes. Not a test: it prints figures and asserts
 * nothing about time. Run it with {@code -Pbenchmark} (see docs/PERFORMANCE.md).
 */
class ImportBenchmark {

    private static final int MESSAGES = Integer.getInteger("benchmark.messages", 5000);

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic", "pop3");
        // No database URL: the embedded default with fsync on, as an installation runs.
        try (DovecotServer dovecot = DovecotServer.start(dir.resolve("dovecot"));
             TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", ""))) {
            ApiClient admin = mailroom.admin();
            List<byte[]> corpus = MailCorpus.generate(MESSAGES, 2026, Instant.now().minus(Duration.ofDays(200)));
            long bytes = corpus.stream().mapToLong(m -> m.length).sum();
            dovecot.addUser("bench", "pw");
            dovecot.appendMany("bench", "INBOX", corpus);
            report("corpus: %d messages, %.1f MB (mean %.1f KB)", MESSAGES, bytes / 1e6, bytes / 1e3 / MESSAGES);

            long rawStart = System.nanoTime();
            long rawBytes = RawImapFetch.fetchAll(dovecot.host(), dovecot.imapPort(), "bench", "pw", "INBOX");
            report("(c) raw UID FETCH 1:* BODY.PEEK[]: %.2f s (%.1f MB)", seconds(rawStart), rawBytes / 1e6);

            report("(b) mbsync to a Maildir: %.2f s", mbsync(dovecot));

            long mailbox = mailbox(admin, dovecot, "bench");
            long importStart = System.nanoTime();
            JsonNode poll = sync(admin, mailbox);
            report("(a) Mailroom first import: %.2f s (stored %d, quarantined %d)", seconds(importStart),
                    poll.get("stored").asInt(), poll.get("quarantined").asInt());

            report("sync with nothing new, %d messages: %.1f ms (median of 7)", MESSAGES, idleSync(admin, mailbox));

            long pop3 = pop3Mailbox(admin, dovecot, "bench");
            long pop3Start = System.nanoTime();
            JsonNode pop3Poll = sync(admin, pop3);
            report("POP3: Mailroom first import of the same folder: %.2f s (stored %d)", seconds(pop3Start),
                    pop3Poll.get("stored").asInt());
            report("POP3: sync with nothing new, %d messages: %.1f ms (median of 7)", MESSAGES, idleSync(admin, pop3));
            dovecot.addUser("small", "pw");
            dovecot.appendMany("small", "INBOX", corpus.subList(0, 50));
            long small = mailbox(admin, dovecot, "small");
            System.gc();
            resetPeaks();
            sync(admin, small);
            report("heap peak while importing 50 ordinary messages: %.0f MB", peakHeap() / 1e6);
            report("sync with nothing new, 50 messages: %.1f ms (median of 7)", idleSync(admin, small));

            dovecot.addUser("big", "pw");
            dovecot.append("big", "INBOX", bigMessage(25 * 1024 * 1024));
            long big = mailbox(admin, dovecot, "big");
            System.gc();
            resetPeaks();
            sync(admin, big);
            report("heap peak while importing one 25 MB message: %.0f MB (max heap %d MB)", peakHeap() / 1e6,
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    private static long mailbox(ApiClient admin, DovecotServer dovecot, String user) {
        Reply created = admin.post("/api/mailboxes", Map.of("name", user, "email", user + "@example.com", "source", "imap",
                "first_sync_days", 36500, "settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(),
                        "security", "none", "username", user, "password", "pw")));
        return created.json().get("id").asLong();
    }

    private static long pop3Mailbox(ApiClient admin, DovecotServer dovecot, String user) {
        Reply created = admin.post("/api/mailboxes", Map.of("name", user + " (POP3)", "email", user + "@example.com",
                "source", "pop3", "first_sync_days", 36500, "settings", Map.of("host", dovecot.host(),
                        "port", dovecot.pop3Port(), "security", "none", "username", user, "password", "pw")));
        return created.json().get("id").asLong();
    }

    private static JsonNode sync(ApiClient admin, long mailbox) {
        return admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null).json();
    }

    private static double idleSync(ApiClient admin, long mailbox) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long start = System.nanoTime();
            sync(admin, mailbox);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        millis.sort(Double::compare);
        return millis.get(3);
    }

    private double mbsync(DovecotServer dovecot) throws Exception {
        Path maildir = Files.createDirectories(dir.resolve("maildir"));
        Path config = dir.resolve("mbsyncrc");
        Files.writeString(config, """
                IMAPAccount bench
                Host %s
                Port %d
                User bench
                Pass pw
                SSLType None
                AuthMechs LOGIN

                IMAPStore remote
                Account bench

                MaildirStore local
                Path %s/
                Inbox %s/INBOX

                Channel bench
                Far :remote:
                Near :local:
                Patterns INBOX
                Sync Pull
                Create Near
                SyncState *
                """.formatted(dovecot.host(), dovecot.imapPort(), maildir, maildir));
        long start = System.nanoTime();
        Process process = new ProcessBuilder("mbsync", "-q", "-c", config.toString(), "bench")
                .redirectErrorStream(true).redirectOutput(dir.resolve("mbsync.log").toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("mbsync failed: " + Files.readString(dir.resolve("mbsync.log")));
        }
        return seconds(start);
    }

    private static byte[] bigMessage(int size) {
        byte[] attachment = new byte[size * 3 / 4];
        new Random(1).nextBytes(attachment);
        String mail = "Message-ID: <big@bench>\r\nFrom: a@example.com\r\nTo: b@example.com\r\nSubject: big\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(attachment) + "\r\n--b--\r\n";
        return mail.getBytes(StandardCharsets.US_ASCII);
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void report(String format, Object... args) {
        System.out.printf("BENCHMARK " + format + "%n", args);
    }
}
