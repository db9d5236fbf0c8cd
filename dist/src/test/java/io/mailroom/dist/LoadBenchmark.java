package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.mailroom.host.ApiClient;
import io.mailroom.testkit.dovecot.DovecotServer;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load benchmark of docs/RELIABILITY.md ("Load"): one {@code bin/mailroom serve} on its
 * embedded PostgreSQL with 1,000 IMAP mailboxes on one Dovecot, half of them with push and half
 * polled every minute (spread over the minute), and a steady inbound rate of mail to random
 * users for ten minutes. Every ~10 s it samples the server process: heap used after a full GC
 * and its platform and virtual threads (over JMX on loopback), its RSS and open file
 * descriptors ({@code /proc}), PostgreSQL connections, IMAP connections to Dovecot. At the end,
 * once the backlog is drained, it checks that every delivered message is stored exactly once,
 * in its own mailbox, and reports the latency from delivery to the stored row, push and polled
 * mailboxes apart.
 *
 * <p>A test of correctness, not of speed: it fails when a message is missing or stored twice,
 * or when heap or threads grow after the warm-up (tolerances below). Run it with
 * {@code -Pbenchmark -Dit.test=LoadBenchmark}; {@code .ci/run} never does (failsafe's default
 * includes are {@code *IT}).
 */
class LoadBenchmark {

    private static final int MAILBOXES = Integer.getInteger("benchmark.load.mailboxes", 1000);
    /** Messages per second, over all users. */
    private static final double RATE = Double.parseDouble(System.getProperty("benchmark.load.rate", "5"));
    private static final double MINUTES = Double.parseDouble(System.getProperty("benchmark.load.minutes", "10"));
    /** Samples taken in the first part of the run only show the host filling its caches and pools. */
    private static final double WARMUP_MINUTES = Double.parseDouble(System.getProperty("benchmark.load.warmup.minutes",
            Double.toString(Math.min(2, MINUTES / 3))));
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(Integer.getInteger("benchmark.load.sample.seconds", 10));
    private static final String SERVER_JVM = System.getProperty("benchmark.load.jvm", "-Xmx512m");
    private static final long SEED = Long.getLong("benchmark.load.seed", 15);
    /** Growth allowed from the baseline (after warm-up) to the last third of the run. */
    private static final double HEAP_TOLERANCE = 0.20;
    private static final int THREAD_TOLERANCE = 5;

    private static final String TOKEN = "mr_load_benchmark_admin_token";
    private static final String PASSWORD = "load-test-pw";
    private static final Path DIR = Path.of("target/load-benchmark").toAbsolutePath();

    /** One message put into a user's INBOX: when the APPEND started, which mailbox it is for. */
    private record Delivery(String messageId, String user, boolean push, Instant at) {
    }

    /** One look at the server process. */
    private record Sample(double minute, String phase, long heapAfterGc, int platformThreads, int virtualThreads,
                          long rssKb, int fds, int pgConnections, int imapConnections, int pushWatches,
                          int delivered, long stored, double load) {
    }

    @Test
    void a_thousand_mailboxes_under_steady_mail() throws Exception {
        deleteTree(DIR);
        Files.createDirectories(DIR);
        String dovecotScale = """
                default_process_limit = %d
                default_client_limit = %d
                mail_max_userip_connections = 100
                mailbox_idle_check_interval = 1 secs
                """.formatted(MAILBOXES * 3 + 200, MAILBOXES * 6 + 1000);
        int httpPort = freePort();
        int metricsPort = freePort();
        int jmxPort = freePort();
        Report report = new Report();
        report.line("Load benchmark %s: %d mailboxes (%d push, %d polled every minute), %.1f messages/s, %.1f minutes "
                        + "(warm-up %.1f), sample every %d s, server JVM %s, seed %d",
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), MAILBOXES, pushCount(), MAILBOXES - pushCount(),
                RATE, MINUTES, WARMUP_MINUTES, SAMPLE_EVERY.toSeconds(), SERVER_JVM, SEED);

        try (DovecotServer dovecot = DovecotServer.start(DIR.resolve("dovecot"), false, dovecotScale)) {
            List<String> users = new ArrayList<>();
            for (int i = 0; i < MAILBOXES; i++) {
                users.add("load%04d".formatted(i));
                dovecot.addUser(users.getLast(), PASSWORD);
            }
            Map<String, String> env = new HashMap<>(Map.of(
                    "MAILROOM_DATA_DIR", DIR.resolve("data").toString(),
                    "MAILROOM_PLUGINS_DIR", InstalledPlugins.copy(DIR.resolve("plugins"), "imap-basic").toString(),
                    "MAILROOM_SOURCES_ALLOW_PRIVATE_HOSTS", "true",
                    "MAILROOM_HTTP_PORT", Integer.toString(httpPort),
                    "MAILROOM_METRICS_PORT", Integer.toString(metricsPort),
                    "MAILROOM_ADMIN_TOKEN", TOKEN));
            // JMX on loopback only, for the benchmark to force a GC and read heap and threads.
            env.put("MAILROOM_JAVA_OPTS", String.join(" ", "-XX:+ExitOnOutOfMemoryError", SERVER_JVM,
                    "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                    "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false"));
            Process serve = ServeProcess.start(env, DIR.resolve("serve.log"));
            try {
                run(serve, dovecot, users, httpPort, metricsPort, jmxPort, report);
            } finally {
                stop(serve);
                report.write(DIR.resolve("figures.md"));
            }
        }
    }

    private void run(Process serve, DovecotServer dovecot, List<String> users, int httpPort, int metricsPort, int jmxPort,
                     Report report) throws Exception {
        ApiClient admin = new ApiClient("http://127.0.0.1:" + httpPort, TOKEN);
        long started = System.nanoTime();
        ServeProcess.await("the server to answer /health", () -> healthy(admin), serve, Duration.ofMinutes(5));
        report.line("server up after %.1f s", seconds(started));

        try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(
                     "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
             Connection db = database()) {
            Probe probe = new Probe(serve.pid(), jmx.getMBeanServerConnection(), db, dovecot.imapPort(), metricsPort);

            // 1,000 mailboxes through the API, 8 requests at a time; even ones push, odd ones polled at a
            // second of their own each minute
            long creating = System.nanoTime();
            Map<String, Boolean> pushByUser = new ConcurrentHashMap<>();
            ExecutorService creators = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> created = new ArrayList<>();
                for (int i = 0; i < users.size(); i++) {
                    int index = i;
                    created.add(creators.submit(() -> {
                        boolean push = index % 2 == 0;
                        String user = users.get(index);
                        Map<String, Object> body = new HashMap<>(Map.of("name", user, "email", user + "@example.com",
                                "source", "imap", "push", push, "settings", Map.of("host", dovecot.host(),
                                        "port", dovecot.imapPort(), "security", "none", "username", user, "password", PASSWORD)));
                        if (!push) {
                            body.put("schedule", (index * 7 % 60) + " * * * * ?");
                        }
                        ApiClient.Reply reply = admin.post("/api/mailboxes", body);
                        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
                        pushByUser.put(user, push);
                    }));
                }
                for (Future<?> done : created) {
                    done.get();
                }
            } finally {
                creators.shutdown();
            }
            report.line("%d mailboxes created through the API in %.1f s", users.size(), seconds(creating));

            long watching = System.nanoTime();
            ServeProcess.await("every push mailbox watched", () -> probe.pushWatches() >= pushCount(), serve,
                    Duration.ofMinutes(10));
            report.line("%d push watches open %.1f s after the last mailbox was created", pushCount(), seconds(watching));

            // steady mail: message i is due at start + i / RATE, to a random user
            List<Delivery> deliveries = new CopyOnWriteArrayList<>();
            List<Sample> samples = new CopyOnWriteArrayList<>();
            Map<String, String> failures = new ConcurrentHashMap<>();
            Random random = new Random(SEED);
            AtomicInteger sequence = new AtomicInteger();
            long runStart = System.nanoTime();
            long runNanos = (long) (MINUTES * 60e9);
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
            // the pacer hands each message to a pool at its due time, so a slow APPEND delays no other
            ExecutorService appenders = Executors.newFixedThreadPool(16);
            try {
                timers.scheduleAtFixedRate(() -> {
                    if (System.nanoTime() - runStart >= runNanos) {
                        return;
                    }
                    int n = sequence.getAndIncrement();
                    String user;
                    synchronized (random) {
                        user = users.get(random.nextInt(users.size()));
                    }
                    String messageId = "load-%06d@bench.mailroom.test".formatted(n);
                    appenders.execute(() -> {
                        Instant at = Instant.now();
                        try {
                            dovecot.append(user, "INBOX", message(n, messageId, user, at));
                            deliveries.add(new Delivery(messageId, user, pushByUser.get(user), at));
                        } catch (RuntimeException e) {
                            failures.put(messageId, String.valueOf(e.getMessage()));
                        }
                    });
                }, 0, Math.round(1e9 / RATE), TimeUnit.NANOSECONDS);
                timers.scheduleAtFixedRate(() -> {
                    double minute = (System.nanoTime() - runStart) / 60e9;
                    try {
                        samples.add(probe.sample(minute, minute < WARMUP_MINUTES ? "warm-up" : "steady",
                                deliveries.size()));
                    } catch (RuntimeException e) {
                        System.out.println("BENCHMARK sample failed: " + e);
                    }
                }, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                while (System.nanoTime() - runStart < runNanos + SAMPLE_EVERY.toNanos() / 2) {
                    assertThat(serve.isAlive()).as("the server is running").isTrue();
                    Thread.sleep(1000);
                }
            } finally {
                timers.shutdown();
                timers.awaitTermination(1, TimeUnit.MINUTES);
                appenders.shutdown();
                appenders.awaitTermination(2, TimeUnit.MINUTES);
            }
            double deliverySeconds = seconds(runStart);
            report.line("delivered %d messages in %.1f s (%.2f/s; %d due, %d APPENDs failed)", deliveries.size(),
                    deliverySeconds, deliveries.size() / (MINUTES * 60), sequence.get(), failures.size());

            long draining = System.nanoTime();
            ServeProcess.await("every delivered message stored", () -> probe.stored() >= deliveries.size(), serve,
                    Duration.ofMinutes(5));
            Thread.sleep(5000); // a duplicate written late would show now
            report.line("backlog drained %.1f s after the last delivery", seconds(draining) - 5);
            samples.add(probe.sample((System.nanoTime() - runStart) / 60e9, "drained", deliveries.size()));

            report.samples(samples);
            boolean correct = checkStoredOnce(db, deliveries, report);
            report.line("Dovecot: %s", dovecotSummary(dovecot));
            report.line("polls during the run: %s", polls(db));
            report.line("server log: %s", logSummary(DIR.resolve("serve.log")));
            boolean steady = growthVerdict(samples, report);

            assertThat(failures).as("every APPEND succeeded").isEmpty();
            assertThat(correct).as("every delivered message stored exactly once, in its mailbox (see above)").isTrue();
            assertThat(steady).as("no growth of heap or threads after warm-up (see above)").isTrue();
        }
    }

    // ---- the checks -----------------------------------------------------------------------

    /** Every delivered Message-ID stored exactly once, in the mailbox of the user it went to; prints the latencies. */
    private static boolean checkStoredOnce(Connection db, List<Delivery> deliveries, Report report) throws SQLException {
        Map<String, List<String>> mailboxesById = new HashMap<>();
        Map<String, Instant> storedAt = new HashMap<>();
        try (Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT m.message_id, mb.name, m.created_at FROM messages m "
                     + "JOIN mailboxes mb ON mb.id = m.mailbox_id")) {
            while (rows.next()) {
                String id = rows.getString(1).replaceAll("^<|>$", "");
                mailboxesById.computeIfAbsent(id, key -> new ArrayList<>()).add(rows.getString(2));
                Instant at = rows.getObject(3, OffsetDateTime.class).toInstant();
                storedAt.merge(id, at, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        int missing = 0;
        int twice = 0;
        int misplaced = 0;
        List<Double> push = new ArrayList<>();
        List<Double> polled = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            List<String> stored = mailboxesById.getOrDefault(delivery.messageId(), List.of());
            if (stored.isEmpty()) {
                missing++;
                continue;
            }
            if (stored.size() > 1) {
                twice++;
            }
            if (!stored.getFirst().equals(delivery.user())) {
                misplaced++;
            }
            double millis = Duration.between(delivery.at(), storedAt.get(delivery.messageId())).toNanos() / 1e6;
            (delivery.push() ? push : polled).add(millis);
        }
        java.util.Set<String> delivered = new java.util.HashSet<>();
        deliveries.forEach(delivery -> delivered.add(delivery.messageId()));
        long unexpected = mailboxesById.keySet().stream().filter(id -> !delivered.contains(id)).count();
        report.line("delivered %d, stored rows %d, missing %d, stored more than once %d, in the wrong mailbox %d, "
                        + "stored but never delivered %d", deliveries.size(),
                mailboxesById.values().stream().mapToInt(List::size).sum(), missing, twice, misplaced, unexpected);
        report.latency("push", push);
        report.latency("polled", polled);
        return missing == 0 && twice == 0 && misplaced == 0 && unexpected == 0;
    }

    /**
     * Baseline: the median of the first three samples after warm-up. The last third of the run
     * (by time, before the drain): its median heap after GC within +20 % of the baseline, and
     * its most platform threads within +5 of the baseline.
     */
    private static boolean growthVerdict(List<Sample> all, Report report) {
        List<Sample> steady = all.stream().filter(s -> s.phase().equals("steady")).toList();
        if (steady.size() < 6) {
            report.line("growth: too few samples after warm-up (%d) to judge", steady.size());
            return false;
        }
        List<Sample> first = steady.subList(0, 3);
        List<Sample> lastThird = steady.stream().filter(s -> s.minute() >= MINUTES * 2 / 3).toList();
        long heapBase = median(first.stream().map(Sample::heapAfterGc).toList());
        long heapLast = median(lastThird.stream().map(Sample::heapAfterGc).toList());
        long threadBase = median(first.stream().map(s -> (long) s.platformThreads()).toList());
        int threadsMax = lastThird.stream().mapToInt(Sample::platformThreads).max().orElseThrow();
        long virtualBase = median(first.stream().map(s -> (long) s.virtualThreads()).toList());
        long virtualLast = median(lastThird.stream().map(s -> (long) s.virtualThreads()).toList());
        boolean heapOk = heapLast <= heapBase * (1 + HEAP_TOLERANCE);
        boolean threadsOk = threadsMax <= threadBase + THREAD_TOLERANCE;
        report.line("growth after warm-up: heap after GC %s -> %s (median of the last third; %+.1f %%, allowed +%.0f %%; "
                        + "slope %+.2f MB/min over the steady samples) %s; platform threads %d -> at most %d "
                        + "(allowed +%d) %s; virtual threads %d -> %d (median), fds %d -> %d, RSS %s -> %s",
                mb(heapBase), mb(heapLast), 100.0 * (heapLast - heapBase) / heapBase, HEAP_TOLERANCE * 100,
                slope(steady) / 1e6, heapOk ? "OK" : "GREW", threadBase, threadsMax, THREAD_TOLERANCE,
                threadsOk ? "OK" : "GREW", virtualBase, virtualLast, first.getFirst().fds(), lastThird.getLast().fds(),
                mb(first.getFirst().rssKb() * 1024), mb(lastThird.getLast().rssKb() * 1024));
        return heapOk && threadsOk;
    }

    /** Least-squares slope of heap after GC over minutes, in bytes per minute. */
    private static double slope(List<Sample> samples) {
        double n = samples.size();
        double mx = samples.stream().mapToDouble(Sample::minute).sum() / n;
        double my = samples.stream().mapToDouble(Sample::heapAfterGc).sum() / n;
        double sxy = samples.stream().mapToDouble(s -> (s.minute() - mx) * (s.heapAfterGc() - my)).sum();
        double sxx = samples.stream().mapToDouble(s -> (s.minute() - mx) * (s.minute() - mx)).sum();
        return sxx == 0 ? 0 : sxy / sxx;
    }

    private static String polls(Connection db) throws SQLException {
        Map<String, Long> byStatus = new TreeMap<>();
        try (Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT status, count(*) FROM polls GROUP BY status")) {
            while (rows.next()) {
                byStatus.put(rows.getString(1), rows.getLong(2));
            }
        }
        return byStatus.toString();
    }

    /** Counts of WARN and ERROR lines and Quartz misfires in the server's log, with the first few distinct. */
    private static String logSummary(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        long warn = lines.stream().filter(line -> line.contains(" WARN ")).count();
        long error = lines.stream().filter(line -> line.contains(" ERROR ")).count();
        long misfires = lines.stream().filter(line -> line.toLowerCase(Locale.ROOT).contains("misfire")).count();
        List<String> examples = lines.stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .map(line -> line.length() > 200 ? line.substring(0, 200) : line).distinct().limit(5).toList();
        return "%d WARN, %d ERROR, %d lines naming a misfire%s".formatted(warn, error, misfires,
                examples.isEmpty() ? "" : "; first: " + String.join(" | ", examples));
    }

    private static String dovecotSummary(DovecotServer dovecot) throws IOException {
        List<String> log = Files.readAllLines(dovecot.logFile(), StandardCharsets.ISO_8859_1);
        long limits = log.stream().filter(line -> line.contains("process_limit") || line.contains("client_limit")
                || line.contains("Maximum number of connections")).count();
        long errors = log.stream().filter(line -> line.contains("Error:") || line.contains("Fatal:")).count();
        return "%d log lines about reached limits, %d errors".formatted(limits, errors);
    }

    // ---- the server process ---------------------------------------------------------------

    /** Reads the server process's figures: JMX for the JVM, /proc for the process, SQL for PostgreSQL. */
    private static final class Probe {
        private final long pid;
        private final MemoryMXBean memory;
        private final ThreadMXBean threads;
        private final HotSpotDiagnosticMXBean diagnostics;
        private final Connection db;
        private final String imapPortHex;
        private final URI metrics;
        private final HttpClient http = HttpClient.newHttpClient();
        private int dumps;

        Probe(long pid, MBeanServerConnection jmx, Connection db, int imapPort, int metricsPort) throws IOException {
            this.pid = pid;
            this.memory = ManagementFactory.newPlatformMXBeanProxy(jmx, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
            this.threads = ManagementFactory.newPlatformMXBeanProxy(jmx, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            this.diagnostics = ManagementFactory.newPlatformMXBeanProxy(jmx, "com.sun.management:type=HotSpotDiagnostic",
                    HotSpotDiagnosticMXBean.class);
            this.db = db;
            this.imapPortHex = ":%04X".formatted(imapPort);
            this.metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        }

        synchronized Sample sample(double minute, String phase, int delivered) {
            memory.gc();
            long heap = memory.getHeapMemoryUsage().getUsed();
            return new Sample(minute, phase, heap, threads.getThreadCount(), virtualThreads(), rssKb(), fds(),
                    (int) count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            + "AND pid <> pg_backend_pid()"), imapConnections(), pushWatches(), delivered, stored(), load());
        }

        synchronized long stored() {
            return count("SELECT count(*) FROM messages");
        }

        /** The host's own gauge: folders held open for push. */
        int pushWatches() {
            try {
                String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                return body.lines().filter(line -> line.startsWith("mailroom_push_connections "))
                        .mapToInt(line -> (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(0);
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }

        /** Virtual threads, from a plain-text thread dump (each thread's header line ends in "virtual"). */
        private int virtualThreads() {
            Path dump = DIR.resolve("threads-" + (dumps++) + ".txt");
            try {
                diagnostics.dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
                try (Stream<String> lines = Files.lines(dump)) {
                    return (int) lines.filter(line -> line.startsWith("#") && line.contains("\" virtual")).count();
                } finally {
                    Files.deleteIfExists(dump);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private long rssKb() {
            try {
                return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                        .filter(line -> line.startsWith("VmRSS:"))
                        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(-1);
            } catch (IOException e) {
                return -1;
            }
        }

        private int fds() {
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                return (int) fds.count();
            } catch (IOException e) {
                return -1;
            }
        }

        /** Established TCP connections to Dovecot's IMAP port (its clients' side of each). */
        private int imapConnections() {
            int total = 0;
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                try (Stream<String> lines = Files.lines(Path.of(table))) {
                    total += (int) lines.skip(1).map(String::trim).map(line -> line.split("\\s+"))
                            .filter(f -> f.length > 3 && f[2].endsWith(imapPortHex) && f[3].equals("01")).count();
                } catch (IOException e) {
                    // no IPv6
                }
            }
            return total;
        }

        private static double load() {
            try {
                return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            } catch (IOException e) {
                return -1;
            }
        }

        private long count(String sql) {
            try (Statement query = db.createStatement(); ResultSet rows = query.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }

    /** The embedded PostgreSQL of the server, as {@code psql} would reach it (docs/configuration.md). */
    private static Connection database() throws IOException, SQLException {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setServerNames(new String[] {"127.0.0.1"});
        source.setPortNumbers(new int[] {Integer.parseInt(Files.readString(DIR.resolve("data/postgres.port")).trim())});
        source.setDatabaseName("mailroom");
        source.setUser("postgres");
        source.setPassword(Files.readString(DIR.resolve("data/postgres.password")).trim());
        return source.getConnection();
    }

    /** SIGTERM, so the server stops its embedded PostgreSQL; SIGKILL when it has not stopped within a minute. */
    private static void stop(Process serve) throws InterruptedException {
        serve.destroy();
        if (!serve.waitFor(60, TimeUnit.SECONDS)) {
            ServeProcess.kill(serve);
        }
    }

    private static boolean healthy(ApiClient admin) {
        try {
            return admin.get("/health").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private static byte[] message(int n, String messageId, String user, Instant at) {
        StringBuilder body = new StringBuilder();
        for (int line = 0; line < 20; line++) {
            body.append("Line ").append(line).append(" of message ").append(n)
                    .append(", a steady trickle of ordinary mail for the load benchmark.\r\n");
        }
        return ("Message-ID: <" + messageId + ">\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC)) + "\r\n"
                + "From: Sender " + (n % 97) + " <sender" + (n % 97) + "@customer.example>\r\n"
                + "To: " + user + "@example.com\r\n"
                + "Subject: Load " + n + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private static int pushCount() {
        return (MAILBOXES + 1) / 2;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String mb(long bytes) {
        return "%.1f MB".formatted(bytes / 1e6);
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** What the benchmark prints (lines starting BENCHMARK) and writes to target/load-benchmark/figures.md. */
    private static final class Report {
        private final List<String> lines = new ArrayList<>();

        void line(String format, Object... args) {
            String text = format.formatted(args);
            System.out.println("BENCHMARK " + text);
            lines.add(text);
        }

        void latency(String kind, List<Double> millis) {
            if (millis.isEmpty()) {
                line("%s latency: no messages", kind);
                return;
            }
            List<Double> sorted = millis.stream().sorted().toList();
            line("%s latency, delivery -> stored row, %d messages: min %.0f ms, p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, "
                            + "max %.0f ms", kind, sorted.size(), sorted.getFirst(), percentile(sorted, 50),
                    percentile(sorted, 95), percentile(sorted, 99), sorted.getLast());
        }

        void samples(List<Sample> samples) {
            line("| min | phase | heap after GC | platform threads | virtual threads | RSS | fds | PG conns | IMAP conns "
                    + "| push watches | delivered | stored | load |");
            line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (Sample s : samples) {
                line("| %.1f | %s | %.1f MB | %d | %d | %.0f MB | %d | %d | %d | %d | %d | %d | %.1f |", s.minute(),
                        s.phase(), s.heapAfterGc() / 1e6, s.platformThreads(), s.virtualThreads(), s.rssKb() / 1024.0,
                        s.fds(), s.pgConnections(), s.imapConnections(), s.pushWatches(), s.delivered(), s.stored(),
                        s.load());
            }
        }

        void write(Path file) throws IOException {
            Files.write(file, lines, StandardCharsets.UTF_8);
        }

        private static double percentile(List<Double> sorted, int p) {
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }
    }
}
