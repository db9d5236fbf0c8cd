package io.mailroom.dist;

import org.jdbi.v3.core.Jdbi;

import io.mailroom.testkit.secrets.TestSecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged {@code bin/mailroom serve} as a child process that crash tests start, watch and SIGKILL. */
final class ServeProcess {

    private static final AtomicInteger SERVES = new AtomicInteger();

    private ServeProcess() {
    }

    /**
     * Starts {@code serve} with only {@code env}'s {@code MAILROOM_*} settings, its output in {@code log}.
     * The output is written under {@code target/serve-logs/} ({@code log} links to it), where it
     * outlives the test's temporary directory for LogSecretScan, with the key and token it was given.
     */
    static Process start(Map<String, String> env, Path log) throws IOException {
        TestSecrets.remember(env.get("MAILROOM_SECRET_KEY"));
        TestSecrets.remember(env.get("MAILROOM_ADMIN_TOKEN"));
        Path kept = Files.createDirectories(Path.of("target", "serve-logs"))
                .resolve(SERVES.incrementAndGet() + "-" + log.getFileName()).toAbsolutePath();
        Files.deleteIfExists(log);
        Files.createSymbolicLink(log, kept);
        ProcessBuilder builder = new ProcessBuilder(InstalledPlugins.DIST.resolve("bin/mailroom").toString(), "serve")
                .redirectErrorStream(true).redirectOutput(kept.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("MAILROOM_"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** SIGKILL, the process and whatever it started. */
    static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits until {@code done}, failing if the process dies first or {@code timeout} passes. */
    static void await(String what, BooleanSupplier done, Process process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(process.isAlive()).as("the server is running while waiting for " + what).isTrue();
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }
}
