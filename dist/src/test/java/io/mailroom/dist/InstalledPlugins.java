package io.mailroom.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The packaged plugin jars ({@code target/mailroom/plugins}), copied into a test's plugins directory. */
final class InstalledPlugins {

    static final Path DIST = Path.of(System.getProperty("mailroom.dist", "target/mailroom"));

    private InstalledPlugins() {
    }

    /** Copies the jars of the given plugin modules ({@code imap-basic}, {@code pop3}) into {@code pluginsDir}. */
    static Path copy(Path pluginsDir, String... modules) {
        try {
            Files.createDirectories(pluginsDir);
            for (String module : modules) {
                Path jar;
                try (Stream<Path> jars = Files.list(DIST.resolve("plugins"))) {
                    jar = jars.filter(file -> file.getFileName().toString().startsWith("mailroom-plugin-" + module + "-"))
                            .findFirst().orElseThrow(() -> new IllegalStateException("no packaged plugin " + module
                                    + " in " + DIST.resolve("plugins") + ": run the package phase first"));
                }
                Files.copy(jar, pluginsDir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return pluginsDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
