package io.mailroom.host.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An embedded server whose JVM died by SIGKILL: no shutdown hook ran, so PostgreSQL keeps
 * running with its postmaster.pid in place. Started in a child JVM, since a test cannot kill its
 * own.
 */
final class ServerLeftBehind {

    private static final String STARTED = "embedded PostgreSQL started";

    private ServerLeftBehind() {
    }

    /** The child JVM's entry point: start the durable server for args[0] and wait to be killed. */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgresServer.start(Path.of(args[0]));
        System.out.println(STARTED);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Returns the postmaster's pid once the JVM that started it has been killed. */
    static long startInAJvmKilledAfterwards(Path dataDir) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ServerLeftBehind.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null && !line.contains(STARTED)) {
                System.out.println("[killed jvm] " + line);
            }
            if (line == null) {
                throw new IllegalStateException("the child JVM exited before its server started");
            }
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        return postmasterPid(dataDir);
    }

    /** Stops a server no JVM owns any more, as an operator would: SIGTERM to the postmaster. */
    static void stop(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postgres/postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        ProcessHandle.of(postmasterPid(dataDir)).ifPresent(postmaster -> {
            postmaster.destroy();
            postmaster.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().strip());
    }
}
