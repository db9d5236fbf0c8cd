package io.mailroom.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged installation ({@code target/mailroom}) the way an admin would: through
 * {@code bin/mailroom}, on the embedded database, with nothing but environment variables.
 */
class DistributionIT {

    private static final Set<String> BUILT_IN_PLUGINS =
            Set.of("imap-basic", "pop3", "gmail-oauth", "microsoft-oauth", "ticketing");
    /** The first start unpacks the PostgreSQL binaries and initialises a cluster. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Path DIST = Path.of(System.getProperty("mailroom.dist", "target/mailroom"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    @Test
    void first_start_prints_an_admin_token_that_still_works_after_a_restart() throws Exception {
        Path data = work.resolve("data");
        int port = freePort();

        String token;
        try (RunningMailroom first = RunningMailroom.serve(environment(data, port), work.resolve("first.log"))) {
            first.awaitHealthy(http, port);
            token = first.adminToken();
            assertThat(token).as("admin token printed on the first start").isNotBlank();
            assertBuiltInPluginsStarted(port, token);
            long logged = Files.size(RunningMailroom.errorLog(first.log()));
            first.stop();
            assertThat(first.exitCode()).as("exit code after SIGTERM\n" + RunningMailroom.describe(first.log()))
                    .isIn(0, 143);
            String stopping = Files.readString(RunningMailroom.errorLog(first.log())).substring((int) logged);
            assertThat(stopping.lines()).as("a stop is quiet: no warning, error or stack trace\n" + stopping)
                    .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR ")
                            || line.startsWith("\tat ") || line.contains("Exception"));
        }
        assertNoPostgresLeftRunning(data);

        // the second start logs JSON lines (mailroom.log.format=json)
        Map<String, String> json = environment(data, port);
        json.put("MAILROOM_LOG_FORMAT", "json");
        try (RunningMailroom second = RunningMailroom.serve(json, work.resolve("second.log"))) {
            second.awaitHealthy(http, port);
            assertThat(second.output()).as("no new admin token on a later start")
                    .noneMatch(line -> line.startsWith(RunningMailroom.TOKEN_PREFIX));
            assertBuiltInPluginsStarted(port, token);
            second.stop();
            assertEveryLineIsAJsonLogRecord(RunningMailroom.errorLog(second.log()));
        }
        assertNoPostgresLeftRunning(data);
    }

    @Test
    void an_unknown_setting_stops_start_up_naming_it() throws Exception {
        Path file = work.resolve("mailroom.properties");
        Files.writeString(file, "mailroom.http.port=8080\nmailroom.no.such.setting=1\n");
        Map<String, String> env = environment(work.resolve("data"), freePort());
        env.put("MAILROOM_CONFIG", file.toString());

        ProcessResult result = run(env, "serve");

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("mailroom.no.such.setting");
    }

    @Test
    void plugins_command_lists_the_built_in_plugins() throws Exception {
        Map<String, String> env = environment(work.resolve("data"), freePort());
        env.put("MAILROOM_JAVA_OPTS", "-Xmx256m");

        ProcessResult result = run(env, "plugins");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).as(result.output()).contains(BUILT_IN_PLUGINS);
    }

    @Test
    void shipped_configuration_file_names_only_settings_mailroom_knows() throws Exception {
        List<String> shipped = Files.readAllLines(DIST.resolve("conf/mailroom.properties"));
        List<String> settings = shipped.stream().filter(line -> line.startsWith("#mailroom."))
                .map(line -> line.substring(1)).toList();
        assertThat(settings).as("commented defaults in conf/mailroom.properties").hasSizeGreaterThan(10);
        Path everySettingSet = work.resolve("mailroom.properties");
        Files.write(everySettingSet, settings);
        Map<String, String> env = environment(work.resolve("data"), freePort());
        env.put("MAILROOM_CONFIG", everySettingSet.toString());

        ProcessResult result = run(env, "plugins");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    /** Every line a JSON object with time, level, logger, thread and message; "Mailroom is listening" among them. */
    private static void assertEveryLineIsAJsonLogRecord(Path stderr) throws IOException {
        List<String> lines = Files.readAllLines(stderr);
        assertThat(lines).as(stderr.toString()).isNotEmpty();
        List<JsonNode> records = new java.util.ArrayList<>();
        for (String line : lines) {
            JsonNode record;
            try {
                record = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line in " + stderr + ": " + line, e);
            }
            assertThat(record.isObject()).as(line).isTrue();
            for (String field : List.of("time", "level", "logger", "thread", "message")) {
                assertThat(record.path(field).asText()).as(field + " of " + line).isNotBlank();
            }
            records.add(record);
        }
        assertThat(records).as("the start is logged").anyMatch(record ->
                record.path("message").asText().startsWith("Mailroom is listening on port"));
    }

    @Test
    void the_tarball_ships_a_systemd_unit_that_systemd_accepts_and_the_alert_rules() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(DIST.getParent())) {
            tarball = files.filter(file -> file.getFileName().toString().matches("mailroom-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no mailroom-*.tar.gz beside " + DIST));
        }
        Process list = new ProcessBuilder("tar", "tzf", tarball.toString()).redirectErrorStream(true).start();
        List<String> entries = new String(list.getInputStream().readAllBytes()).lines()
                .map(entry -> entry.substring(entry.indexOf('/') + 1)).toList();
        assertThat(list.waitFor()).isZero();
        assertThat(entries).contains("systemd/mailroom.service", "systemd/mailroom.env",
                "prometheus/mailroom-alerts.yml", "bin/mailroom");

        Path unit = DIST.resolve("systemd/mailroom.service");
        Map<String, List<String>> service = unitSection(Files.readAllLines(unit), "Service");
        assertThat(service.get("User")).containsExactly("mailroom");
        assertThat(service.get("ExecStart")).containsExactly("/opt/mailroom/bin/mailroom serve");
        assertThat(service.get("EnvironmentFile")).containsExactly("-/etc/mailroom/mailroom.env");
        assertThat(service.get("Restart")).containsExactly("on-failure");
        // SIGTERM to the JVM alone: it stops its embedded PostgreSQL itself, last
        assertThat(service.get("KillMode")).containsExactly("mixed");
        assertThat(service.get("SuccessExitStatus")).containsExactly("143");
        assertThat(service).containsKeys("TimeoutStopSec", "StateDirectory");
        assertThat(service.get("Environment")).containsExactly("MAILROOM_DATA_DIR=/var/lib/mailroom");
        assertThat(service.get("ReadWritePaths")).containsExactly("/var/lib/mailroom");
        for (String hardening : List.of("NoNewPrivileges", "PrivateTmp", "ProtectHome")) {
            assertThat(service.get(hardening)).as(hardening).containsExactly("yes");
        }
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        assertThat(service).as("the JIT needs writable executable memory").doesNotContainKey("MemoryDenyWriteExecute");

        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (Files.isExecutable(analyze)) {
            // verify checks that ExecStart exists: point it at this installation's launcher
            Path copy = work.resolve("mailroom.service");
            Files.writeString(copy, Files.readString(unit).replace("/opt/mailroom/bin/mailroom",
                    DIST.resolve("bin/mailroom").toAbsolutePath().toString()));
            Process verify = new ProcessBuilder(analyze.toString(), "verify", copy.toString())
                    .redirectErrorStream(true).start();
            String said = new String(verify.getInputStream().readAllBytes());
            assertThat(verify.waitFor()).as("systemd-analyze verify:\n" + said).isZero();
            assertThat(said.lines()).as("systemd-analyze verify says nothing about the unit")
                    .noneMatch(line -> line.contains("mailroom.service"));
        }
    }

    /** The keys of one [section] of a unit file, each with its values in order. */
    private static Map<String, List<String>> unitSection(List<String> lines, String section) {
        Map<String, List<String>> keys = new TreeMap<>();
        boolean inside = false;
        for (String line : lines) {
            String text = line.strip();
            if (text.startsWith("[")) {
                inside = text.equals("[" + section + "]");
            } else if (inside && !text.isEmpty() && !text.startsWith("#") && text.contains("=")) {
                keys.computeIfAbsent(text.substring(0, text.indexOf('=')), key -> new java.util.ArrayList<>())
                        .add(text.substring(text.indexOf('=') + 1));
            }
        }
        return keys;
    }

    private void assertBuiltInPluginsStarted(int port, String token) throws Exception {
        HttpResponse<String> unauthenticated = get(port, "/api/plugins", null);
        assertThat(unauthenticated.statusCode()).isEqualTo(401);

        HttpResponse<String> response = get(port, "/api/plugins", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode plugins = JSON.readTree(response.body());
        assertThat(plugins.isArray()).as(response.body()).isTrue();
        Map<String, String> states = new TreeMap<>();
        StreamSupport.stream(plugins.spliterator(), false)
                .forEach(plugin -> states.put(plugin.path("id").asText(), plugin.path("state").asText()));
        assertThat(states).as(response.body()).containsKeys(BUILT_IN_PLUGINS.toArray(String[]::new));
        BUILT_IN_PLUGINS.forEach(id -> assertThat(states.get(id)).as(id + " in " + response.body())
                .isEqualToIgnoringCase("started"));
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A SIGTERM must stop the embedded PostgreSQL too: no postmaster.pid may stay behind. */
    private static void assertNoPostgresLeftRunning(Path data) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Path> pidFiles = postmasterPidFiles(data);
        while (!pidFiles.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            pidFiles = postmasterPidFiles(data);
        }
        List<Path> leftOver = pidFiles;
        leftOver.forEach(DistributionIT::killPostmaster);
        assertThat(leftOver).as("PostgreSQL still running after Mailroom stopped").isEmpty();
    }

    private static List<Path> postmasterPidFiles(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(file -> file.getFileName().toString().equals("postmaster.pid")).toList();
        }
    }

    /** Cleans up after a failed shutdown so the next test does not find a server on the port. */
    private static void killPostmaster(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (IOException | RuntimeException e) {
            // best effort: the assertion reports the problem
        }
    }

    private Map<String, String> environment(Path data, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("MAILROOM_DATA_DIR", data.toString());
        env.put("MAILROOM_HTTP_PORT", Integer.toString(port));
        return env;
    }

    private ProcessResult run(Map<String, String> env, String... args) throws Exception {
        Path log = work.resolve("run.log");
        Process process = RunningMailroom.builder(env, log, args).start();
        if (!process.waitFor(START_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("bin/mailroom " + String.join(" ", args) + " did not finish:\n"
                    + RunningMailroom.describe(log));
        }
        return new ProcessResult(process.exitValue(), Files.readString(log), RunningMailroom.describe(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A finished command: its exit code, its standard output, and both streams for messages. */
    private record ProcessResult(int exitCode, String stdout, String output) {
    }

    /** {@code bin/mailroom serve} as a child process; stdout and stderr go to two files. */
    private static final class RunningMailroom implements AutoCloseable {

        static final String TOKEN_PREFIX = "Admin token: ";

        private final Process process;
        private final Path log;

        private RunningMailroom(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static ProcessBuilder builder(Map<String, String> env, Path log, String... args) {
            Path launcher = DIST.resolve("bin/mailroom");
            assertThat(launcher).as("run ./mvnw package first").isExecutable();
            ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args))
                    .toList());
            builder.environment().keySet().removeIf(name -> name.startsWith("MAILROOM_"));
            // The JDK running this test; the inherited JAVA_HOME may be surefire's test launcher.
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().putAll(env);
            builder.directory(log.getParent().toFile());
            builder.redirectOutput(log.toFile());
            builder.redirectError(errorLog(log).toFile());
            return builder;
        }

        /** Standard error (the log) beside the file that takes standard output. */
        static Path errorLog(Path log) {
            return log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", "") + ".err.log");
        }

        /** Both streams, for failure messages. */
        static String describe(Path log) throws IOException {
            Path err = errorLog(log);
            return "--- stdout " + log + "\n" + (Files.exists(log) ? Files.readString(log) : "")
                    + "--- stderr " + err + "\n" + (Files.exists(err) ? Files.readString(err) : "");
        }

        static RunningMailroom serve(Map<String, String> env, Path log) throws IOException {
            return new RunningMailroom(builder(env, log, "serve").start(), log);
        }

        Path log() {
            return log;
        }

        /** What the process wrote to standard output. */
        List<String> output() throws IOException {
            return Files.readAllLines(log);
        }

        /** The one token line on standard output. */
        String adminToken() throws IOException {
            List<String> tokens = output().stream().filter(line -> line.startsWith(TOKEN_PREFIX))
                    .map(line -> line.substring(TOKEN_PREFIX.length()).trim()).toList();
            assertThat(tokens).as("'" + TOKEN_PREFIX + "' lines on stdout\n" + describe(log)).hasSize(1);
            return tokens.getFirst();
        }

        void awaitHealthy(HttpClient http, int port) throws Exception {
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("mailroom exited with " + process.exitValue() + " before it was up:\n"
                            + describe(log));
                }
                try {
                    HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                    last = response.statusCode() + " " + response.body();
                    JsonNode body = JSON.readTree(response.body());
                    if (response.statusCode() == 200 && body.path("status").asText().equals("up")
                            && body.path("db").asText().equals("up")) {
                        return;
                    }
                } catch (IOException e) {
                    last = e.toString();
                }
                Thread.sleep(250);
            }
            throw new AssertionError("/health not up within " + START_TIMEOUT + " (last: " + last + "):\n"
                    + describe(log));
        }

        /** SIGTERM, as systemd or Ctrl-C would, then wait for a clean exit. */
        void stop() throws Exception {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("mailroom did not stop within " + STOP_TIMEOUT + " of SIGTERM:\n"
                        + describe(log));
            }
        }

        int exitCode() {
            return process.exitValue();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        }
    }
}
