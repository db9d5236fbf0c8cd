package io.mailroom.testkit.secrets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Proves that no test secret reached a log: after every test of the build ran (dist's
 * {@code verify} phase), reads the output files of every module's tests
 * ({@code target/surefire-reports/*-output.txt}, {@code target/failsafe-reports/*-output.txt})
 * and every {@code *.log} under a {@code target} directory (the packaged server's logs among
 * them), and fails naming file and line (the secret masked) where one of the secrets appears:
 * those {@link TestSecrets} wrote down in any module, and the literal passwords of the test
 * sources ({@link #LITERALS}).
 *
 * <p>One pass over each line: secrets are looked up by their first four characters at every
 * position, so the cost does not grow with the number of secrets. Secrets shorter than
 * {@link #MIN_LENGTH}, and short ones of lower-case letters only ("secret"), are skipped: they
 * match ordinary words of ordinary log lines.
 */
public final class LogSecretScan {

    static final int MIN_LENGTH = 6;
    /** Literal passwords, client secrets and tokens of the test sources that no helper sees. */
    static final Set<String> LITERALS = Set.of("s3cret", "s3cret-pw", "s3cret-client", "s3cret-for-the-server",
            "smtp-s3cret", "correct horse battery staple", "pw-support", "pw-crash", "pw-chain", "other-pw",
            "new-password", "wrong-secret", "google-secret", "microsoft-secret", "acme-secret", "not-the-token",
            "let-me-in-0123456789", "kit-client-secret", "first-admin-token-0123456789", "second-admin-token-0123456789");

    /** A secret found in a log. */
    public record Finding(Path file, long line, String masked) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + masked;
        }
    }

    private final Map<Long, List<String>> byPrefix = new HashMap<>();

    LogSecretScan(Set<String> secrets) {
        for (String secret : secrets) {
            if (secret.length() >= MIN_LENGTH && !isWord(secret)) {
                byPrefix.computeIfAbsent(key(secret, 0), k -> new ArrayList<>()).add(secret);
            }
        }
    }

    /** Lower-case letters only and under ten characters: a word ("secret"), not worth looking for. */
    static boolean isWord(String secret) {
        return secret.length() < 10 && secret.chars().allMatch(c -> c >= 'a' && c <= 'z');
    }

    /** Usage: {@code LogSecretScan <checkout root>}; throws (failing the build) when a log holds a secret. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        long started = System.nanoTime();
        List<Path> targets = targets(root);
        Set<String> secrets = new TreeSet<>(LITERALS);
        List<Path> logs = new ArrayList<>();
        for (Path target : targets) {
            Path list = target.resolve(TestSecrets.FILE);
            if (Files.isRegularFile(list)) {
                secrets.addAll(Files.readAllLines(list, StandardCharsets.UTF_8));
            }
            logs.addAll(logs(target));
        }
        List<Finding> findings = new LogSecretScan(secrets).scan(logs);
        System.out.printf("LogSecretScan: %d secrets, %d log files in %d target directories, %d ms%n", secrets.size(),
                logs.size(), targets.size(), (System.nanoTime() - started) / 1_000_000);
        if (!findings.isEmpty()) {
            StringBuilder report = new StringBuilder("test secrets found in logs:");
            findings.stream().limit(50).forEach(finding -> report.append("\n  ").append(finding));
            if (findings.size() > 50) {
                report.append("\n  … ").append(findings.size() - 50).append(" more");
            }
            throw new IllegalStateException(report.toString());
        }
    }

    /** Every module's {@code target} directory: {@code root/target}, {@code root/x/target}, {@code root/x/y/target}. */
    static List<Path> targets(Path root) throws IOException {
        try (Stream<Path> dirs = Files.find(root, 3, (path, attributes) -> attributes.isDirectory()
                && path.getFileName().toString().equals("target")
                && !root.relativize(path).toString().matches(".*(^|/)(\\.|src/|node_modules/).*"))) {
            return dirs.sorted().toList();
        }
    }

    /** The log files under one {@code target} directory. */
    static List<Path> logs(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(target)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                String name = file.getFileName().toString();
                String parent = file.getParent().getFileName().toString();
                return name.endsWith(".log")
                        || name.endsWith("-output.txt") && (parent.equals("surefire-reports") || parent.equals("failsafe-reports"));
            }).sorted().toList();
        }
    }

    List<Finding> scan(List<Path> files) {
        List<Finding> findings = new ArrayList<>();
        for (Path file : files) {
            // a log may hold bytes that are not UTF-8 (a test's hostile mail): replace them, read on
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
                String line;
                long number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    String found = find(line);
                    if (found != null) {
                        findings.add(new Finding(file, number, mask(found)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return findings;
    }

    /** The first secret in {@code line}, or null. */
    String find(String line) {
        for (int i = 0; i + 4 <= line.length(); i++) {
            List<String> candidates = byPrefix.get(key(line, i));
            if (candidates != null) {
                for (String secret : candidates) {
                    if (line.startsWith(secret, i)) {
                        return secret;
                    }
                }
            }
        }
        return null;
    }

    private static long key(String text, int at) {
        return (long) text.charAt(at) << 48 | (long) text.charAt(at + 1) << 32 | (long) text.charAt(at + 2) << 16 | text.charAt(at + 3);
    }

    /** The secret as a report may show it: its first two characters and its length. */
    static String mask(String secret) {
        return secret.substring(0, 2) + "*".repeat(6) + " (" + secret.length() + " characters)";
    }
}
