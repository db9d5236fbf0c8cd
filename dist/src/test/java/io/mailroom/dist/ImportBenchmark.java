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
import java.util.LinkedHashMap;
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
    /** A second folder of small messages (0: none), where the cost per message dominates. */
    private static final int SMALL_MESSAGES = Integer.getInteger("benchmark.small.messages", 0);
    /**
     * A third, large folder (0: none), e.g. 50,000: small messages as in the second folder
     * ({@code MailCorpus.generateSmall}), generated and appended 5,000 at a time so the corpus
     * never sits whole in this JVM's heap, which Mailroom shares.
     */
    private static final int LARGE_MESSAGES = Integer.getInteger("benchmark.large.messages", 0);
    private static final int LARGE_CHUNK = 5000;
    /** Rounds of mbsync, IMAP and POP3 per folder, in rotating order; medians are reported. */
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);

    @TempDir
    Path dir;

    /** A corpus for a seed. */
    private interface Corpus {
        List<byte[]> generate(long seed);

        /** Appends the corpus for {@code seed} to the user's INBOX; returns its bytes. */
        default long append(DovecotServer dovecot, String user, long seed) {
            List<byte[]> messages = generate(seed);
            dovecot.appendMany(user, "INBOX", messages);
            return messages.stream().mapToLong(m -> m.length).sum();
        }
    }

    /** {@code count} small messages, one hour apart up to now, generated and appended a chunk at a time. */
    private static Corpus largeSmallCorpus(int count) {
        return new Corpus() {
            @Override
            public List<byte[]> generate(long seed) {
                throw new UnsupportedOperationException("appended in chunks");
            }

            @Override
            public long append(DovecotServer dovecot, String user, long seed) {
                Instant start = Instant.now().minus(Duration.ofHours(count + 24L));
                long bytes = 0;
                for (int from = 0; from < count; from += LARGE_CHUNK) {
                    List<byte[]> chunk = MailCorpus.generateSmall(Math.min(LARGE_CHUNK, count - from), seed * 1000 + from,
                            start.plus(Duration.ofHours(from)));
                    dovecot.appendMany(user, "INBOX", chunk);
                    bytes += chunk.stream().mapToLong(m -> m.length).sum();
                }
                return bytes;
            }
        };
    }

    /** The mailboxes the last round imported, for the measures that follow. */
    private record Imported(long imap, long pop3) {
    }

    @Test
    void measure() throws Exception {
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic", "pop3");
        // No database URL: the embedded default with fsync on, as an installation runs.
        try (DovecotServer dovecot = DovecotServer.start(dir.resolve("dovecot"));
             TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", ""))) {
            ApiClient admin = mailroom.admin();
            Instant start = Instant.now().minus(Duration.ofDays(200));
            // benchmark.messages=0 leaves the first folder out (a quick round on the others)
            Imported mixed = MESSAGES > 0 ? compare(admin, dovecot, "bench", MESSAGES,
                    seed -> MailCorpus.generate(MESSAGES, seed, start)) : null;
            if (SMALL_MESSAGES > 0) {
                compare(admin, dovecot, "small", SMALL_MESSAGES,
                        seed -> MailCorpus.generateSmall(SMALL_MESSAGES, seed, start));
            }
            if (LARGE_MESSAGES > 0) {
                Imported large = compare(admin, dovecot, "large", LARGE_MESSAGES, largeSmallCorpus(LARGE_MESSAGES));
                report("large: sync with nothing new, %d messages: %.1f ms (median of 7)", LARGE_MESSAGES,
                        idleSync(admin, large.imap()));
            }

            if (mixed != null) {
                report("sync with nothing new, %d messages: %.1f ms (median of 7)", MESSAGES, idleSync(admin, mixed.imap()));
                report("POP3: sync with nothing new, %d messages: %.1f ms (median of 7)", MESSAGES,
                        idleSync(admin, mixed.pop3()));
            }
            dovecot.addUser("fifty", "pw");
            dovecot.appendMany("fifty", "INBOX", MailCorpus.generate(50, 2026, start));
            long fifty = mailbox(admin, dovecot, "fifty");
            System.gc();
            resetPeaks();
            sync(admin, fifty);
            report("heap peak while importing 50 ordinary messages: %.0f MB", peakHeap() / 1e6);
            report("sync with nothing new, 50 messages: %.1f ms (median of 7)", idleSync(admin, fifty));

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

    /**
     * mbsync into a Maildir, Mailroom's first import over IMAP and over POP3, {@link #ROUNDS}
     * times in rotating order. Each round has its own folders with bytes of their own (another
     * seed), so no import finds raw bytes stored by an earlier one; mbsync and the IMAP import read
     * the same folder.
     */
    private Imported compare(ApiClient admin, DovecotServer dovecot, String name, int count, Corpus corpus)
            throws Exception {
        List<Double> mbsync = new ArrayList<>();
        List<Double> imap = new ArrayList<>();
        List<Double> pop3 = new ArrayList<>();
        long peak = 0;
        Imported last = null;
        for (int round = 0; round < ROUNDS; round++) {
            String imapUser = name + round;
            String pop3User = name + "pop" + round;
            dovecot.addUser(imapUser, "pw");
            dovecot.addUser(pop3User, "pw");
            long bytes = corpus.append(dovecot, imapUser, 2026 + round);
            corpus.append(dovecot, pop3User, 4026 + round);
            if (round == 0) {
                report("%s folder: %d messages, %.1f MB (mean %.1f KB)", name, count, bytes / 1e6, bytes / 1e3 / count);
                long rawStart = System.nanoTime();
                long rawBytes = RawImapFetch.fetchAll(dovecot.host(), dovecot.imapPort(), imapUser, "pw", "INBOX");
                report("%s (c) raw UID FETCH 1:* BODY.PEEK[]: %.2f s (%.1f MB)", name, seconds(rawStart), rawBytes / 1e6);
            }
            long imapBox = mailbox(admin, dovecot, imapUser);
            long pop3Box = pop3Mailbox(admin, dovecot, pop3User);
            for (int step = 0; step < 3; step++) {
                switch ((step + round) % 3) {
                    case 0 -> mbsync.add(mbsync(dovecot, imapUser));
                    case 1 -> {
                        System.gc();
                        resetPeaks();
                        imap.add(timedImport(admin, imapBox, count));
                        peak = Math.max(peak, peakHeap());
                    }
                    default -> {
                        System.gc();
                        resetPeaks();
                        pop3.add(timedImport(admin, pop3Box, count));
                        peak = Math.max(peak, peakHeap());
                    }
                }
            }
            report("%s round %d: mbsync %.2f s, Mailroom IMAP %.2f s, Mailroom POP3 %.2f s", name, round + 1,
                    mbsync.getLast(), imap.getLast(), pop3.getLast());
            last = new Imported(imapBox, pop3Box);
        }
        double mb = median(mbsync);
        report("%s medians of %d: (b) mbsync %.2f s, (a) Mailroom IMAP %.2f s (ratio %.2f), POP3 %.2f s (ratio %.2f); "
                + "heap peak %.0f MB", name, ROUNDS, mb, median(imap), median(imap) / mb, median(pop3),
                median(pop3) / mb, peak / 1e6);
        return last;
    }

    private static double timedImport(ApiClient admin, long mailbox, int expected) {
        Map<String, Double> before = stageSeconds(admin);
        long start = System.nanoTime();
        JsonNode poll = sync(admin, mailbox);
        double took = seconds(start);
        if (poll.get("stored").asInt() != expected) {
            throw new IllegalStateException("stored " + poll.get("stored") + " of " + expected + ": " + poll);
        }
        StringBuilder stages = new StringBuilder();
        stageSeconds(admin).forEach((stage, total) -> stages.append(String.format(" %s %.2f s,", stage,
                total - before.getOrDefault(stage, 0.0))));
        report("  mailbox %d: %.2f s; by stage (mailroom.sync.stage):%s", mailbox, took, stages);
        return took;
    }

    /** The pipeline's time per stage so far, from /metrics. */
    private static Map<String, Double> stageSeconds(ApiClient admin) {
        Map<String, Double> seconds = new java.util.TreeMap<>();
        for (String line : admin.get("/metrics").body().split("\n")) {
            if (line.startsWith("mailroom_sync_stage_seconds_sum{")) {
                String stage = line.substring(line.indexOf("stage=\"") + 7);
                seconds.put(stage.substring(0, stage.indexOf('"')),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return seconds;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static long mailbox(ApiClient admin, DovecotServer dovecot, String user) {
        Reply created = admin.post("/api/mailboxes", allMail(Map.of("name", user, "email", user + "@example.com",
                "source", "imap", "settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(),
                        "security", "none", "username", user, "password", "pw"))));
        return created.json().get("id").asLong();
    }

    private static long pop3Mailbox(ApiClient admin, DovecotServer dovecot, String user) {
        Reply created = admin.post("/api/mailboxes", allMail(Map.of("name", user + " (POP3)",
                "email", user + "@example.com", "source", "pop3", "settings", Map.of("host", dovecot.host(),
                        "port", dovecot.pop3Port(), "security", "none", "username", user, "password", "pw"))));
        return created.json().get("id").asLong();
    }

    /**
     * A mailbox with {@code first_sync_days: null}, all mail: no first-sync window, so IMAP and
     * POP3 both measure the plain first import (under a window, POP3 writes a message's raw bytes
     * only after its parse has dated it).
     */
    private static Map<String, Object> allMail(Map<String, Object> mailbox) {
        Map<String, Object> body = new LinkedHashMap<>(mailbox);
        body.put("first_sync_days", null);
        return body;
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

    private double mbsync(DovecotServer dovecot, String user) throws Exception {
        Path maildir = Files.createDirectories(dir.resolve("maildir-" + user));
        Path config = dir.resolve("mbsyncrc-" + user);
        Files.writeString(config, """
                IMAPAccount bench
                Host %s
                Port %d
                User %s
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
                """.formatted(dovecot.host(), dovecot.imapPort(), user, maildir, maildir));
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
