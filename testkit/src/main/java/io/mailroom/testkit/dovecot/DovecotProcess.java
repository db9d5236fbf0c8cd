package io.mailroom.testkit.dovecot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Dovecot's master process, run in the foreground ({@code dovecot -F}) as a child of the JVM,
 * its output in a file. Up means: every plain port greets.
 */
final class DovecotProcess {

    private static final Path[] BINARIES = {Path.of("/usr/sbin/dovecot"), Path.of("/usr/local/sbin/dovecot")};
    /** Unix socket paths are limited to 107 bytes; Dovecot's longest name under base_dir is ~25. */
    private static final int MAX_BASE_DIR_LENGTH = 80;
    private static final long START_TIMEOUT_MILLIS = 20_000;

    private final Path configFile;
    private final DovecotConfig config;
    private final Path output;
    private final Thread shutdownHook;
    private Process process;

    DovecotProcess(Path configFile, DovecotConfig config, Path output) {
        this.configFile = configFile;
        this.config = config;
        this.output = output;
        this.shutdownHook = new Thread(() -> stop(false), "dovecot-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A short directory for Dovecot's sockets: under {@code root} when its path is short enough. */
    static Path baseDirFor(Path root) throws IOException {
        Path inRoot = root.resolve("run");
        if (inRoot.toString().length() <= MAX_BASE_DIR_LENGTH) {
            return inRoot;
        }
        Path shortDir = Files.createTempDirectory(Path.of("/tmp"), "dovecot");
        Files.writeString(root.resolve("run.location"), shortDir.toString());
        return shortDir;
    }

    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    synchronized void start() {
        if (isRunning()) {
            return;
        }
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of(binary().toString(), "-F", "-c", configFile.toString()));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        }
        awaitGreetings();
    }

    private void awaitGreetings() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        for (int port : new int[]{config.imapPort(), config.pop3Port()}) {
            while (!greets(port)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Dovecot exited with status " + process.exitValue()
                            + " while starting.\n" + logTail());
                }
                if (System.currentTimeMillis() > deadline) {
                    stop(false);
                    throw new IllegalStateException("Dovecot did not greet on port " + port + " within "
                            + START_TIMEOUT_MILLIS / 1000 + " s.\n" + logTail());
                }
                sleep(20);
            }
        }
    }

    private static boolean greets(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            InputStream in = socket.getInputStream();
            byte[] greeting = new byte[3];
            return in.readNBytes(greeting, 0, 3) == 3
                    && (new String(greeting, StandardCharsets.US_ASCII).equals("* O")
                    || new String(greeting, StandardCharsets.US_ASCII).equals("+OK"));
        } catch (IOException e) {
            return false;
        }
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Stops the master and waits until it and every process it started are gone: gracefully
     * (SIGTERM; clients get BYE; Dovecot's master then takes about two seconds), or at once
     * (SIGKILL, like a crash).
     */
    synchronized void stop(boolean graceful) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (graceful) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } else {
                process.destroyForcibly();
            }
            process.waitFor(5, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
            // not onExit(): for processes that are not our children it polls with long pauses
            long deadline = System.currentTimeMillis() + 2000;
            while (children.stream().anyMatch(DovecotProcess::running) && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Whether a process still runs. A killed orphan stays a zombie until the system's init reaps
     * it (some container inits take a second); a zombie holds no ports, so it counts as gone.
     */
    private static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    void forgetShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or ran already
        }
    }

    String logTail() {
        StringBuilder tail = new StringBuilder();
        for (Path file : List.of(config.logFile(), output)) {
            tail.append("--- ").append(file).append(" (last lines) ---\n");
            try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                List<String> all = lines.toList();
                all.subList(Math.max(0, all.size() - 40), all.size()).forEach(line -> tail.append(line).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                tail.append("(unreadable: ").append(e.getMessage()).append(")\n");
            }
        }
        return tail.toString();
    }

    /**
     * What runs Dovecot: nothing, or {@code unshare -U} for a JVM that really is root, because
     * Dovecot insists on switching users when it runs as root, and a user namespace makes it an
     * ordinary user, like the test JVMs this project forks.
     */
    private static List<String> launcher() {
        return isRealRoot() ? List.of("unshare", "-U") : List.of();
    }

    /** The user and group names Dovecot will run as, as it will see them: {@code id -un}, {@code id -gn}. */
    static String[] identity() throws IOException, InterruptedException {
        String[] names = new String[2];
        String[] options = {"-un", "-gn"};
        for (int i = 0; i < 2; i++) {
            List<String> command = new ArrayList<>(launcher());
            command.addAll(List.of("id", options[i]));
            Process id = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (id.waitFor() != 0 || out.isEmpty() || out.contains(" ")) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            names[i] = out;
        }
        return names;
    }

    static Path binary() {
        for (Path candidate : BINARIES) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Dovecot is not installed (no /usr/sbin/dovecot). Install it as root with: "
                + DovecotServer.INSTALL_COMMAND);
    }

    /** Whether this process has uid 0 in its own user namespace (a test JVM under unshare does not). */
    private static boolean isRealRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            // not Linux: no unshare either
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Dovecot", e);
        }
    }
}
