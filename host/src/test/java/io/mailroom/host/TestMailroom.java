package io.mailroom.host;

import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.store.TestDatabase;
import io.mailroom.testkit.secrets.TestSecrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole Mailroom for a test: a fresh database, its own data and plugins directories, a free
 * port. What it printed (the first admin token) is kept.
 */
public final class TestMailroom implements AutoCloseable {

    private final Map<String, String> settings;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private Mailroom mailroom;

    private TestMailroom(Map<String, String> settings) {
        this.settings = settings;
    }

    /** Starts Mailroom on a fresh database with the given extra settings. */
    public static TestMailroom start(Path dir, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("mailroom.db.url", TestDatabase.freshDatabaseUrl());
        settings.put("mailroom.http.port", "0");
        settings.put("mailroom.data.dir", dir.resolve("data").toString());
        settings.put("mailroom.plugins.dir", dir.resolve("plugins").toString());
        // the tests' mail servers (GreenMail, Dovecot) listen on loopback; a test of the rule turns it off
        settings.put("mailroom.sources.allow.private.hosts", "true");
        // every test client calls from loopback, and some send many wrong tokens on purpose; the
        // lockout itself is tested with its own limit (FailedLoginsTest)
        settings.put("mailroom.auth.failures.limit", "1000000");
        settings.putAll(extra);
        TestMailroom test = new TestMailroom(settings);
        test.restart();
        return test;
    }

    public static TestMailroom start(Path dir) {
        return start(dir, Map.of());
    }

    /** Stops (when running) and starts again on the same database and directories. */
    public void restart() {
        if (mailroom != null) {
            mailroom.close();
        }
        TestSecrets.remember(settings.get("mailroom.admin.token"));
        TestSecrets.remember(settings.get("mailroom.secret.key"));
        mailroom = Mailroom.start(MailroomConfig.from(settings), new PrintStream(printed, true, StandardCharsets.UTF_8));
        rememberKeyFile();
    }

    /** The master key Mailroom made in its data directory, for LogSecretScan. */
    private void rememberKeyFile() {
        Path keyFile = Path.of(settings.get("mailroom.data.dir")).resolve("secret.key");
        if (Files.isRegularFile(keyFile)) {
            try {
                Files.readAllLines(keyFile, StandardCharsets.US_ASCII).stream().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(TestSecrets::remember);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops and starts again on the same database and directories, with some settings changed. */
    public void restart(Map<String, String> changed) {
        settings.putAll(changed);
        restart();
    }

    /** Everything Mailroom printed to standard output so far. */
    public String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The token printed on first start. */
    public String adminToken() {
        return printed().lines().filter(line -> line.startsWith("Admin token: ")).findFirst()
                .map(line -> line.substring("Admin token: ".length()))
                .map(token -> {
                    TestSecrets.remember(token);
                    return token;
                })
                .orElseThrow(() -> new IllegalStateException("no admin token was printed"));
    }

    public ApiClient client(String token) {
        return new ApiClient("http://localhost:" + mailroom.port(), token);
    }

    public ApiClient admin() {
        return client(adminToken());
    }

    public Mailroom mailroom() {
        return mailroom;
    }

    @Override
    public void close() {
        mailroom.close();
    }
}
