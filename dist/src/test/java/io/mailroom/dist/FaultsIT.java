package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.testkit.dovecot.DovecotServer;
import io.mailroom.testkit.mail.MailCorpus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults around a running {@code bin/mailroom serve}: the IMAP connection cut in the middle of a
 * FETCH and Dovecot restarted under a sync; PostgreSQL stopped and started under a sync; one slow
 * server beside a fast one; an SMTP server that refuses, then defers, then accepts; the data
 * directory's disk full. After each, every message is stored exactly once, and the failure is
 * in the poll log in words an operator understands. One server process, on a PostgreSQL cluster
 * of this test's own (so it can be stopped) and, where mounting is allowed, a data directory on
 * a small tmpfs (so it can be filled). See docs/RELIABILITY.md, "Faults".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final String ADMIN_TOKEN = "mrt_faults_test_admin_token_not_a_secret";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final AtomicInteger USERS = new AtomicInteger();
    /**
     * {@code -Dmailroom.faults.long=true}: the long form (more mail, and a server that stops
     * answering altogether, which takes the IMAP read timeout of 30 s); see docs/RELIABILITY.md.
     */
    private static final boolean LONG = Boolean.getBoolean("mailroom.faults.long");
    private static final long STARTED = System.nanoTime();

    @TempDir
    static Path dir;
    static DovecotServer dovecot;
    static int postgresPort;
    static EmbeddedPostgres postgres;
    static String dbUrl;
    static Jdbi jdbi;
    static Path dataDir;
    static boolean tmpfs;
    static String tmpfsRefusal;
    static Process serve;
    static ApiClient admin;
    static ApiClient anonymous;

    @BeforeAll
    static void start() throws Exception {
        // Dovecot starts while PostgreSQL and the server do: the class's fixed cost, in CI time
        var dovecotStart = java.util.concurrent.CompletableFuture.supplyAsync(() -> DovecotServer.start(dir.resolve("dovecot")));
        postgresPort = freePort();
        postgres = startPostgres();
        try (var connection = postgres.getPostgresDatabase().getConnection();
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE faults");
        }
        dbUrl = "jdbc:postgresql://localhost:" + postgresPort + "/faults?user=postgres";
        jdbi = Jdbi.create(dbUrl);
        dataDir = smallDisk();
        Path plugins = InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic");
        int httpPort = freePort();
        Map<String, String> environment = new HashMap<>(Map.of("MAILROOM_DB_URL", dbUrl,
                "MAILROOM_SECRET_KEY", MasterKeys.newKey(), "MAILROOM_ADMIN_TOKEN", ADMIN_TOKEN,
                "MAILROOM_PLUGINS_DIR", plugins.toString(), "MAILROOM_SOURCES_ALLOW_PRIVATE_HOSTS", "true",
                "MAILROOM_DATA_DIR", dataDir.toString(), "MAILROOM_HTTP_PORT", Integer.toString(httpPort),
                // no scheduled sync gets in the way: every sync here is asked for, or pushed
                "MAILROOM_POLL_FREQUENCY", "3600",
                "MAILROOM_OUTBOX_POLL_MS", "200"));
        // the first retry after 1 s, then 2, 4…: refused, 421 and 451 are over within seconds
        environment.put("MAILROOM_OUTBOX_RETRY_BASE", "1");
        // a sync waits at most 5 s for its mailbox's processing chains (none of these mailboxes has
        // server actions to wait for); a chain claim that fails under load cannot hold a sync 60 s
        environment.put("MAILROOM_PROCESSING_SYNC_WAIT", "5");
        serve = ServeProcess.start(environment, dir.resolve("serve.log"));
        admin = new ApiClient("http://localhost:" + httpPort, ADMIN_TOKEN);
        anonymous = new ApiClient("http://localhost:" + httpPort, null);
        dovecot = dovecotStart.join();
        ServeProcess.await("the server up", () -> health() == 200, serve, Duration.ofMinutes(2));
        mark("server up");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (serve != null) {
                ServeProcess.kill(serve);
                // kept beside the reports: what the server logged about each fault
                Path reports = Path.of(System.getProperty("mailroom.dist", "target/mailroom")).resolveSibling("failsafe-reports");
                Files.createDirectories(reports);
                Files.copy(dir.resolve("serve.log"), reports.resolve("FaultsIT-serve.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            try {
                if (postgres != null) {
                    postgres.close();
                }
            } finally {
                if (dovecot != null) {
                    dovecot.close();
                }
            }
        }
    }

    // ---- 1. IMAP: the connection cut in the middle of a FETCH, Dovecot restarted under a sync

    @Test
    @Order(1)
    void a_connection_cut_mid_fetch_and_a_restarted_imap_server_lose_and_duplicate_nothing() throws Exception {
        try (FaultProxy proxy = new FaultProxy(dovecot.host(), dovecot.imapPort())) {
            List<byte[]> mails = corpus(LONG ? 1000 : 60, 31);
            long bytes = mails.stream().mapToLong(m -> m.length).sum();
            Account account = account(proxy.port(), Map.of("max_messages_per_poll", 10));
            dovecot.appendMany(account.user, "INBOX", mails);

            // The cut: RST in the middle of the FETCH answers, about half-way through the mail.
            proxy.cutOnceAfter(bytes / 2);
            JsonNode cut = sync(account);
            assertThat(proxy.cuts.get()).as("the connection was cut").isEqualTo(1);
            // partial: the folder failed (what was committed before the cut stays stored)
            assertThat(cut.get("status").asText()).as(cut.toString()).isIn("partial", "failed");
            assertThat(cut.get("error").asText()).as("the poll log says what broke")
                    .contains("reading INBOX").containsIgnoringCase("connection reset");
            long afterCut = stored(account);
            mark("cut, the poll says: " + cut.get("error").asText());
            assertThat(afterCut).isLessThan(mails.size());

            // The restart: Dovecot stopped and started while a (throttled, so slow) sync reads.
            // about 25 KB a second: the rest of the mail takes several seconds, Dovecot's restart about two
            proxy.throttle(512, 20);
            admin.post("/api/mailboxes/" + account.id + "/sync", null);
            await("more mail stored by the running sync", () -> stored(account) > afterCut);
            assertThat(stored(account)).as("the restart lands in the middle of the sync").isLessThan(mails.size());
            dovecot.restart();
            proxy.clear();

            JsonNode last = syncUntilDone(account, mails.size());
            assertThat(last.get("status").asText()).as(last.toString()).isEqualTo("ok");
            assertStoredOnce(account, mails.size());
            List<JsonNode> polls = polls(account);
            assertThat(polls.stream().filter(p -> !p.get("error").isNull() && !p.get("error").asText().isBlank()).count())
                    .as("the cut and the restart are each a failed poll").isGreaterThanOrEqualTo(2);
            assertThat(polls.stream().mapToInt(p -> p.get("stored").asInt()).sum()).isEqualTo(mails.size());
            polls.forEach(p -> mark("poll " + p.get("status").asText() + " stored " + p.get("stored") + ": " + p.get("error")));
            JsonNode mailbox = admin.get("/api/mailboxes/" + account.id).json();
            assertThat(mailbox.get("status").asText()).as("not stuck: " + mailbox).isEqualTo("active");
            mark("cut and restart done");
        }
    }

    // ---- 2. PostgreSQL stopped and started under a running sync

    @Test
    @Order(2)
    void postgres_stopped_under_a_sync_makes_health_503_and_the_host_recovers_by_itself() throws Exception {
        try (FaultProxy proxy = new FaultProxy(dovecot.host(), dovecot.imapPort())) {
            List<byte[]> mails = corpus(LONG ? 2000 : 80, 32);
            Account account = account(proxy.port(), Map.of("max_messages_per_poll", 20));
            dovecot.appendMany(account.user, "INBOX", mails);
            // slow enough (about 100 KB/s) that the sync is still running when the database has
            // stopped, even on a quiet machine (at 400 KB/s a clean CI run finished it first)
            proxy.throttle(1024, 10);
            admin.post("/api/mailboxes/" + account.id + "/sync", null);
            await("a running sync storing mail", () -> stored(account) > 0);

            postgres.close();
            ServeProcess.await("/health to say 503", () -> health() == 503, serve, WAIT);
            mark("database down, /health 503");
            Thread.sleep(LONG ? 30_000 : 1000);
            assertThat(health()).as("503 while the database is down").isEqualTo(503);
            assertThat(serve.isAlive()).as("the server stays up").isTrue();

            postgres = startPostgres();
            proxy.clear();
            ServeProcess.await("/health back to 200, without a restart", () -> health() == 200, serve, WAIT);
            mark("database up, /health 200");

            JsonNode last = syncUntilDone(account, mails.size());
            assertThat(last.get("status").asText()).as(last.toString()).isEqualTo("ok");
            assertStoredOnce(account, mails.size());
            assertThat(serve.isAlive()).isTrue();
            assertThat(polls(account)).as("the poll log blames the database, not the mail server")
                    .anySatisfy(p -> assertThat(p.get("error").asText()).contains("the database failed"));
            polls(account).forEach(p -> mark("poll " + p.get("status").asText() + " stored " + p.get("stored") + ": " + p.get("error")));
            mark("database outage done");
        }
    }

    // ---- 3. A slow server beside a fast one

    @Test
    @Order(3)
    void a_slow_server_does_not_hold_up_another_mailbox_and_a_silent_one_times_out() throws Exception {
        try (FaultProxy slowProxy = new FaultProxy(dovecot.host(), dovecot.imapPort())) {
            List<byte[]> slowMail = corpus(LONG ? 200 : 20, 33);
            Account slow = account(slowProxy.port(), Map.of("max_messages_per_poll", 10));
            // push: the fast mailbox's mail comes in by IDLE, after the database outage above
            Account fast = account(dovecot.imapPort(), Map.of("push", true));
            dovecot.appendMany(slow.user, "INBOX", slowMail);

            slowProxy.throttle(256, 100); // about 2.5 KB a second
            admin.post("/api/mailboxes/" + slow.id + "/sync", null);
            await("the slow sync running", () -> running(slow));

            dovecot.appendMany(fast.user, "INBOX", corpus(3, 34));
            await("the fast mailbox's mail stored by push", () -> stored(fast) == 3);
            assertThat(running(slow)).as("the slow sync is still running").isTrue();
            assertThat(stored(slow)).as("the slow mailbox is not done").isLessThan(slowMail.size());
            JsonNode fastNow = sync(fast);
            assertThat(fastNow.get("status").asText()).isEqualTo("ok");
            assertThat(running(slow)).as("and a requested sync of the fast one ran meanwhile too").isTrue();

            mark("fast mailbox synced while the slow one runs");
            if (LONG) {
                // The slow server stops answering altogether: the IMAP read timeout (30 s) ends the run.
                slowProxy.stall(true);
                await("the silent server's sync to end", () -> !running(slow), Duration.ofSeconds(120));
                JsonNode timedOut = polls(slow).getFirst();
                assertThat(timedOut.get("status").asText()).as(timedOut.toString()).isIn("partial", "failed");
                assertThat(timedOut.get("error").asText()).containsIgnoringCase("timed out");
                mark("the silent server's sync timed out");
            }
            slowProxy.clear();
            syncUntilDone(slow, slowMail.size());
            assertStoredOnce(slow, slowMail.size());
            mark("slow mailbox done");
            assertStoredOnce(fast, 3);
        }
    }

    // ---- 4. SMTP refusing, then deferring, then accepting

    @Test
    @Order(4)
    void an_smtp_server_refusing_then_deferring_then_accepting_gets_the_mail_exactly_once() throws Exception {
        Account account = account(dovecot.imapPort(), Map.of());
        int smtpPort = freePort();
        jdbi.useHandle(handle -> handle.execute("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, rate_per_minute) "
                + "VALUES (?, '127.0.0.1', ?, 'none', 1000)", account.id, smtpPort));

        // Nothing listens yet: connection refused.
        Reply queued = admin.post("/api/send", Map.of("mailbox_id", account.id, "to", "bob@customer.example",
                "subject", "Retried", "text", "sent once"));
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        long messageId = queued.json().get("id").asLong();
        String messageIdHeader = queued.json().get("message_id").asText().replaceAll("^<|>$", "");
        await("a refused attempt", () -> delivery(messageId).get("attempts").asInt() >= 1
                && delivery(messageId).get("state").asText().equals("queued"));
        JsonNode refused = delivery(messageId);
        assertThat(refused.get("state").asText()).isEqualTo("queued");
        assertThat(refused.get("last_reply").asText()).as(refused.toString()).containsIgnoringCase("refused");

        try (ScriptedSmtp smtp = new ScriptedSmtp(smtpPort, ScriptedSmtp.Mode.REFUSE_421)) {
            await("a 421 at the greeting", () -> smtp.greetings421.get() >= 1);
            await("the 421 recorded", () -> delivery(messageId).get("last_reply").asText().contains("421")
                    && delivery(messageId).get("state").asText().equals("queued"));
            assertThat(delivery(messageId).get("state").asText()).isEqualTo("queued");
            smtp.mode = ScriptedSmtp.Mode.DEFER_451;
            await("a 451 to the transaction", () -> delivery(messageId).get("last_reply").asText().contains("451")
                    && delivery(messageId).get("state").asText().equals("queued"));
            assertThat(delivery(messageId).get("state").asText()).isEqualTo("queued");
            assertThat(smtp.accepted).isEmpty();
            smtp.mode = ScriptedSmtp.Mode.ACCEPT;
            await("the mail sent", () -> delivery(messageId).get("state").asText().equals("sent"));
            Thread.sleep(1500); // a duplicate attempt would come within the poll interval
            assertThat(smtp.accepted).as("delivered exactly once").containsExactly(messageIdHeader);
            assertThat(delivery(messageId).get("attempts").asInt()).isGreaterThanOrEqualTo(4);
            mark("smtp done");
        }
    }

    // ---- 5. The data directory's disk full

    @Test
    @Order(5)
    void a_full_disk_under_the_data_directory_fails_the_poll_saying_so_and_nothing_is_lost() throws Exception {
        Assumptions.assumeTrue(tmpfs, () -> "no small disk for the data directory (" + tmpfsRefusal
                + "); the disk-full case needs the tmpfs that .mvn/small-disk mounts when the build runs as root");
        Account account = account(dovecot.imapPort(), Map.of());
        // over the spool's 1 MB in-memory limit, so each goes through a file in <data dir>/scratch
        List<byte[]> mails = List.of(large(1), large(2), large(3));
        dovecot.appendMany(account.user, "INBOX", mails);
        Path filler = dataDir.resolve("filler");
        fill(filler);
        JsonNode full;
        try {
            full = sync(account);
            assertThat(full.get("status").asText()).as(full.toString()).isIn("partial", "failed");
            assertThat(full.get("error").asText()).containsIgnoringCase("no space left on device")
                    .contains("Mailroom's own disk is full");
            JsonNode mailbox = admin.get("/api/mailboxes/" + account.id).json();
            assertThat(mailbox.get("last_error").asText()).contains("Mailroom's own disk is full");
            assertThat(stored(account)).as("nothing marked stored that was not").isZero();
            mark("disk full, the poll says: " + full.get("error").asText());
        } finally {
            Files.deleteIfExists(filler);
        }
        JsonNode freed = syncUntilDone(account, mails.size());
        assertThat(freed.get("status").asText()).isEqualTo("ok");
        assertStoredOnce(account, mails.size());
        assertThat(Files.readString(dir.resolve("serve.log"))).containsIgnoringCase("no space left on device");
        mark("disk full done");
    }

    // ---- helpers

    private record Account(String user, long id) {
    }

    private static Account account(int port, Map<String, Object> options) {
        String user = "fault" + USERS.incrementAndGet();
        dovecot.addUser(user, "pw-" + user);
        Map<String, Object> body = new HashMap<>(Map.of("name", user, "email", user + "@example.com", "source", "imap",
                "settings", Map.of("host", "127.0.0.1", "port", port, "security", "none",
                        "username", user, "password", "pw-" + user)));
        body.putAll(options);
        Reply created = admin.post("/api/mailboxes", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Account(user, created.json().get("id").asLong());
    }

    /** Syncs now and waits; an earlier run still holding the mailbox (409) is waited for. */
    private static JsonNode sync(Account account) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Reply poll = admin.post("/api/mailboxes/" + account.id + "/sync?wait=true", null);
        while (poll.status() == 409 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            poll = admin.post("/api/mailboxes/" + account.id + "/sync?wait=true", null);
        }
        assertThat(poll.status()).as(poll.body()).isEqualTo(200);
        return poll.json();
    }

    /** Syncs until a run ends well with every message stored; the last poll. */
    private static JsonNode syncUntilDone(Account account, int messages) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode poll = sync(account);
        while (!(poll.get("status").asText().equals("ok") && stored(account) == messages)) {
            assertThat(System.nanoTime()).as("a complete sync; the last: " + poll).isLessThan(deadline);
            poll = sync(account);
        }
        return poll;
    }

    private static long stored(Account account) {
        return ServeProcess.count(jdbi, "SELECT count(*) FROM messages WHERE mailbox_id = " + account.id);
    }

    /** Every message of the server's INBOX stored exactly once, by the database and by the API. */
    private static void assertStoredOnce(Account account, int messages) {
        assertThat(stored(account)).isEqualTo(messages);
        assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM quarantine WHERE mailbox_id = " + account.id))
                .as("nothing quarantined: every message is whole").isZero();
        assertThat(ServeProcess.count(jdbi, "SELECT count(DISTINCT uid) FROM messages WHERE mailbox_id = " + account.id))
                .isEqualTo(messages);
        assertThat(ServeProcess.count(jdbi, "SELECT count(DISTINCT message_id) FROM messages WHERE mailbox_id = " + account.id))
                .isEqualTo(messages);
        assertThat(admin.get("/api/messages?mailbox_id=" + account.id).json().get("total").asLong()).isEqualTo(messages);
        assertThat(dovecot.uids(account.user, "INBOX")).hasSize(messages);
    }

    private static List<JsonNode> polls(Account account) {
        List<JsonNode> polls = new ArrayList<>();
        admin.get("/api/mailboxes/" + account.id + "/polls").json().get("items").forEach(polls::add);
        return polls;
    }

    private static boolean running(Account account) {
        List<JsonNode> polls = polls(account);
        return !polls.isEmpty() && polls.getFirst().get("status").asText().equals("running");
    }

    private static JsonNode delivery(long messageId) {
        return admin.get("/api/messages/" + messageId + "/delivery").json();
    }

    private static int health() {
        try {
            return anonymous.get("/health").status();
        } catch (RuntimeException notListening) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        await(what, done, WAIT);
    }

    private static void await(String what, BooleanSupplier done, Duration timeout) throws InterruptedException {
        ServeProcess.await(what, done, serve, timeout);
    }

    /** A milestone with the seconds since the class started, in the test output: where CI time goes. */
    private static void mark(String what) {
        System.out.printf("FaultsIT %6.1f s: %s%n", (System.nanoTime() - STARTED) / 1e9, what);
    }

    private static List<byte[]> corpus(int count, long seed) {
        return MailCorpus.generate(count, seed, Instant.now().minus(Duration.ofDays(10)));
    }

    private static byte[] large(int n) {
        String head = "From: big" + n + "@example.com\r\nTo: fault@example.com\r\nSubject: large " + n
                + "\r\nMessage-ID: <large-" + n + "@faults.test>\r\nDate: Mon, 30 Nov 2026 01:00:00 +0000\r\n\r\n";
        return (head + ("large message body line " + n + " ").repeat(2).concat("\r\n").repeat(30_000))
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static EmbeddedPostgres startPostgres() throws IOException {
        return EmbeddedPostgres.builder().setPort(postgresPort)
                .setDataDirectory(dir.resolve("postgres")).setCleanDataDirectory(false).start();
    }

    /**
     * The data directory: on the build's 16 MB tmpfs ({@code .mvn/small-disk}, mounted before the
     * integration tests, since this JVM runs in a user namespace where it may not mount) when
     * there is one; else an ordinary directory, and the reason the disk-full case is skipped.
     */
    private static Path smallDisk() throws IOException {
        String configured = System.getProperty("mailroom.small.disk");
        if (configured != null) {
            Path mount = Path.of(configured).toAbsolutePath();
            if (isTmpfsMountPoint(mount)) {
                tmpfs = true;
                return Files.createTempDirectory(mount, "faults-");
            }
            Path refused = Path.of(configured + ".refused");
            tmpfsRefusal = Files.exists(refused) ? Files.readString(refused).strip() : "nothing is mounted on " + mount;
        } else {
            tmpfsRefusal = "the build did not prepare a small disk (the system property mailroom.small.disk is unset)";
        }
        return Files.createDirectories(dir.resolve("data"));
    }

    /** Whether /proc/self/mountinfo has a tmpfs mounted exactly on {@code path}. */
    private static boolean isTmpfsMountPoint(Path path) throws IOException {
        Path mountinfo = Path.of("/proc/self/mountinfo");
        if (!Files.exists(mountinfo)) {
            return false;
        }
        for (String line : Files.readAllLines(mountinfo)) {
            String[] fields = line.split(" ");
            int dash = line.indexOf(" - ");
            if (fields.length > 4 && dash > 0 && fields[4].replace("\\040", " ").equals(path.toString())
                    && line.substring(dash + 3).startsWith("tmpfs ")) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code filler} until the file system is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).containsIgnoringCase("no space left");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
