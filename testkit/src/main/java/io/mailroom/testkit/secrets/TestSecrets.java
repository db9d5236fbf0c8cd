package io.mailroom.testkit.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets tests hand out (API tokens, mail server passwords, master keys), written down so
 * that {@link LogSecretScan}, after the whole build, can prove none of them reached a log. The
 * helpers that make a secret call {@link #remember}; a test rarely needs to.
 *
 * <p>The list is {@code target/test-secrets.txt} under the working directory (a module's
 * directory when Maven runs its tests), one secret a line; several JVMs may append to it.
 */
public final class TestSecrets {

    /** The file's name in each module's {@code target} directory. */
    public static final String FILE = "test-secrets.txt";
    private static final Set<String> WRITTEN = ConcurrentHashMap.newKeySet();

    private TestSecrets() {
    }

    /** Adds {@code secret} to the list (null, blank and multi-line values are ignored). */
    public static void remember(String secret) {
        if (secret == null || secret.isBlank() || secret.contains("\n") || secret.contains("\r") || !WRITTEN.add(secret)) {
            return;
        }
        Path file = Path.of("target", FILE);
        try {
            Files.createDirectories(file.getParent());
            // one write of a short line with APPEND: lines of concurrent JVMs do not interleave
            Files.write(file, (secret + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
