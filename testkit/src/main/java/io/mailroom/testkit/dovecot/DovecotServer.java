package io.mailroom.testkit.dovecot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Dovecot (Debian's {@code dovecot-imapd} and {@code dovecot-pop3d}) for tests: IMAP and
 * POP3 on free loopback ports, optionally IMAPS, POP3S and STARTTLS with a certificate made at
 * start, users with plain passwords, Maildir storage, everything (configuration, state, sockets,
 * log) under one directory. CONDSTORE, QRESYNC, MOVE, UIDPLUS and SPECIAL-USE are Dovecot's own.
 *
 * <pre>{@code
 * try (DovecotServer dovecot = DovecotServer.start(tempDir)) {
 *     dovecot.addUser("alice", "secret");
 *     long uid = dovecot.append("alice", "INBOX", rfc822);
 *     // connect to 127.0.0.1:dovecot.imapPort()
 * }
 * }</pre>
 *
 * <p>Dovecot runs as the user the JVM runs as, never switching users, so the same configuration
 * works for an ordinary user and inside {@code unshare -U} (how this project's tests run when
 * started as root). A JVM that really is root starts Dovecot through {@code unshare -U} itself.
 * The master process runs in the foreground as a child of the JVM; {@link #close()} and a
 * shutdown hook stop it.
 */
public final class DovecotServer implements AutoCloseable {

    /** What to run on a machine where Dovecot is missing. */
    public static final String INSTALL_COMMAND = "apt-get install -y dovecot-imapd dovecot-pop3d";

    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@+-]+");
    private static final Pattern UIDVALIDITY = Pattern.compile("UIDVALIDITY (\\d+)");

    private final Path dir;
    private final DovecotConfig config;
    private final Path configFile;
    private final SelfSignedCertificate certificate;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final DovecotProcess process;

    private DovecotServer(Path dir, DovecotConfig config, SelfSignedCertificate certificate) throws IOException {
        this.dir = dir;
        this.config = config;
        this.certificate = certificate;
        this.configFile = dir.resolve("dovecot.conf");
        Files.writeString(configFile, config.render(), StandardCharsets.UTF_8);
        this.process = new DovecotProcess(configFile, config, dir.resolve("dovecot.out"));
    }

    /** Starts Dovecot with IMAP and POP3 in {@code dir}, without TLS. */
    public static DovecotServer start(Path dir) {
        return start(dir, false);
    }

    /**
     * Starts Dovecot in {@code dir}; with {@code tls}, also IMAPS and POP3S, and STARTTLS on the
     * plain ports, with a self-signed certificate (see {@link #certificate()}).
     */
    public static DovecotServer start(Path dir, boolean tls) {
        return start(dir, tls, "");
    }

    /**
     * Starts Dovecot with settings of the test's own added to the configuration, for servers
     * that behave otherwise, such as {@code imap_capability = IMAP4rev1 CONDSTORE ...} for one
     * without QRESYNC.
     */
    public static DovecotServer start(Path dir, boolean tls, String extraConfig) {
        DovecotProcess.binary(); // fails first, with the install command, where Dovecot is missing
        try {
            Path root = Files.createDirectories(dir.toAbsolutePath());
            Path mail = Files.createDirectories(root.resolve("mail"));
            Path state = Files.createDirectories(root.resolve("state"));
            Path users = Files.createDirectories(root.resolve("users"));
            SelfSignedCertificate cert = tls ? SelfSignedCertificate.create(root) : null;
            String[] identity = DovecotProcess.identity();
            Path baseDir = DovecotProcess.baseDirFor(root);
            for (int attempt = 1; ; attempt++) {
                int[] ports = DovecotProcess.freePorts(4);
                DovecotConfig config = new DovecotConfig(identity[0], identity[1], baseDir, state,
                        root.resolve("dovecot.log"), users, mail, ports[0], ports[1], ports[2], ports[3],
                        cert == null ? null : cert.certificateFile(), cert == null ? null : cert.privateKeyFile(), extraConfig);
                DovecotServer server = new DovecotServer(root, config, cert);
                try {
                    server.process.start();
                    return server;
                } catch (IllegalStateException e) {
                    server.close();
                    // another process took a port between our probe and Dovecot's bind
                    if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Dovecot in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing Dovecot", e);
        }
    }

    /**
     * Adds a user, or changes a user's password. A new user can log in at once; a changed
     * password takes effect within a second (Dovecot checks a changed file once a second).
     */
    public DovecotServer addUser(String name, String password) {
        if (!USER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user names here are letters, digits and . _ @ + -, not " + name);
        }
        if (password.contains(":") || password.contains("\n") || password.contains("\r")) {
            throw new IllegalArgumentException("passwords for Dovecot's passwd-file cannot hold ':' or line breaks");
        }
        passwords.put(name, password);
        io.mailroom.testkit.secrets.TestSecrets.remember(password);
        try {
            Files.writeString(config.usersDir().resolve(name), name + ":{PLAIN}" + password + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int imapPort() {
        return config.imapPort();
    }

    public int pop3Port() {
        return config.pop3Port();
    }

    /** The implicit-TLS IMAP port; only when started with TLS. */
    public int imapsPort() {
        requireTls();
        return config.imapsPort();
    }

    /** The implicit-TLS POP3 port; only when started with TLS. */
    public int pop3sPort() {
        requireTls();
        return config.pop3sPort();
    }

    /** The server's certificate when started with TLS. */
    public Optional<SelfSignedCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** Appends a message, received now and without flags; returns its UID. */
    public long append(String user, String folder, byte[] rfc822) {
        return append(user, folder, rfc822, null);
    }

    /** Appends a message with an INTERNALDATE (null: now) and flags ({@code \Seen}…); returns its UID. */
    public long append(String user, String folder, byte[] rfc822, Instant internalDate, String... flags) {
        return appendAll(user, folder, List.of(new ImapClient.Append(rfc822, internalDate, List.of(flags)))).getFirst();
    }

    /** Appends many messages quickly (MULTIAPPEND, a few commands in all); returns their UIDs in order. */
    public List<Long> appendMany(String user, String folder, List<byte[]> messages) {
        return appendAll(user, folder, messages.stream().map(m -> new ImapClient.Append(m, null, List.of())).toList());
    }

    private List<Long> appendAll(String user, String folder, List<ImapClient.Append> messages) {
        List<Long> uids = new ArrayList<>(messages.size());
        try (ImapClient imap = login(user)) {
            int from = 0;
            while (from < messages.size()) {
                int to = from;
                long bytes = 0;
                while (to < messages.size() && (to == from || (to - from < 500 && bytes < 8 << 20))) {
                    bytes += messages.get(to++).rfc822().length;
                }
                uids.addAll(imap.append(folder, messages.subList(from, to)));
                from = to;
            }
        }
        return uids;
    }

    public void createFolder(String user, String folder) {
        try (ImapClient imap = login(user)) {
            imap.run("CREATE " + ImapClient.quote(folder));
        }
    }

    public void deleteFolder(String user, String folder) {
        try (ImapClient imap = login(user)) {
            imap.run("DELETE " + ImapClient.quote(folder));
        }
    }

    /** Deletes and creates a folder again, empty, with a new UIDVALIDITY, which it returns. */
    public long recreateFolder(String user, String folder) {
        long before = uidValidity(user, folder);
        deleteFolder(user, folder);
        createFolder(user, folder);
        long after = uidValidity(user, folder);
        if (after == before) {
            throw new IllegalStateException("Dovecot kept UIDVALIDITY " + before + " for " + folder);
        }
        return after;
    }

    public long uidValidity(String user, String folder) {
        try (ImapClient imap = login(user)) {
            for (String line : imap.run("STATUS " + ImapClient.quote(folder) + " (UIDVALIDITY)")) {
                Matcher m = UIDVALIDITY.matcher(line);
                if (line.startsWith("* STATUS") && m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
            throw new IllegalStateException("no UIDVALIDITY for " + folder);
        }
    }

    /** Deletes messages as another client would: {@code \Deleted}, then UID EXPUNGE of those alone. */
    public void expunge(String user, String folder, long... uids) {
        String set = uidSet(uids);
        try (ImapClient imap = login(user)) {
            imap.run("SELECT " + ImapClient.quote(folder));
            imap.run("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
            imap.run("UID EXPUNGE " + set);
        }
    }

    /** Adds flags ({@code \Flagged}, {@code $Label1}…) to messages. */
    public void addFlags(String user, String folder, long[] uids, String... flags) {
        store(user, folder, uids, "+FLAGS.SILENT", flags);
    }

    /** Replaces the flags of messages. */
    public void setFlags(String user, String folder, long[] uids, String... flags) {
        store(user, folder, uids, "FLAGS.SILENT", flags);
    }

    /** The flags a message has now, as the server writes them. */
    public List<String> flags(String user, String folder, long uid) {
        try (ImapClient imap = login(user)) {
            imap.run("EXAMINE " + ImapClient.quote(folder));
            for (String line : imap.run("UID FETCH " + uid + " (FLAGS)")) {
                int start = line.indexOf("FLAGS (");
                if (line.startsWith("* ") && start >= 0) {
                    String list = line.substring(start + 7, line.indexOf(')', start));
                    return list.isBlank() ? List.of() : Arrays.asList(list.split(" "));
                }
            }
            throw new IllegalStateException("no message with UID " + uid + " in " + folder);
        }
    }

    /** The UIDs of a folder's messages, ascending. */
    public List<Long> uids(String user, String folder) {
        try (ImapClient imap = login(user)) {
            imap.run("EXAMINE " + ImapClient.quote(folder));
            List<Long> uids = new ArrayList<>();
            for (String line : imap.run("UID SEARCH ALL")) {
                if (line.startsWith("* SEARCH")) {
                    Arrays.stream(line.substring(8).trim().split(" ")).filter(s -> !s.isEmpty())
                            .map(Long::parseLong).forEach(uids::add);
                }
            }
            uids.sort(null);
            return uids;
        }
    }

    private void store(String user, String folder, long[] uids, String operation, String... flags) {
        try (ImapClient imap = login(user)) {
            imap.run("SELECT " + ImapClient.quote(folder));
            imap.run("UID STORE " + uidSet(uids) + " " + operation + " (" + String.join(" ", flags) + ")");
        }
    }

    private ImapClient login(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no user " + user + ": call addUser first");
        }
        return ImapClient.login(host(), imapPort(), user, password);
    }

    private static String uidSet(long... uids) {
        if (uids.length == 0) {
            throw new IllegalArgumentException("no UIDs given");
        }
        return String.join(",", Arrays.stream(uids).mapToObj(Long::toString).toList());
    }

    /**
     * Stops Dovecot gracefully (clients get {@code BYE}) and starts it again on the same ports
     * with the same mail, like a server reboot. Takes about two seconds: Dovecot's master waits
     * for its log process on the way down.
     */
    public void restart() {
        process.stop(true);
        process.start();
    }

    /** Kills Dovecot at once, like a crash: connections drop without {@code BYE}. */
    public void crash() {
        process.stop(false);
    }

    /** Stops Dovecot gracefully (about two seconds); {@link #resume()} brings it back. */
    public void stop() {
        process.stop(true);
    }

    /** Starts a stopped or crashed Dovecot again, on the same ports with the same mail. */
    public void resume() {
        process.start();
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    /** The directory holding the configuration, mail, state and log. */
    public Path directory() {
        return dir;
    }

    public Path configFile() {
        return configFile;
    }

    /** Dovecot's log file: every service writes here. */
    public Path logFile() {
        return config.logFile();
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        return process.logTail();
    }

    private void requireTls() {
        if (!config.tls()) {
            throw new IllegalStateException("this Dovecot was started without TLS: use DovecotServer.start(dir, true)");
        }
    }

    /** Kills Dovecot at once: the data is not needed any more, and a graceful stop takes seconds. */
    @Override
    public void close() {
        process.stop(false);
        process.forgetShutdownHook();
        if (!config.baseDir().startsWith(dir)) {
            deleteTree(config.baseDir());
        }
    }

    /** Removes the socket directory made under /tmp when {@code dir}'s path was too long for sockets. */
    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover directory in /tmp: harmless
        }
    }
}
