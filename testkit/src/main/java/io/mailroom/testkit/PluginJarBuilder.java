package io.mailroom.testkit;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds real plugin files for tests: a jar (or a PF4J zip) with a PF4J descriptor in its
 * manifest, classes compiled from Java sources given as strings, {@code META-INF/services}
 * entries and any other resources. The sources are compiled with {@link JavaCompiler} against
 * the class path of the running tests, so a plugin can implement {@code io.mailroom.api}
 * interfaces and, when it wants start/stop hooks, extend {@code org.pf4j.Plugin}.
 *
 * <pre>{@code
 * Path jar = PluginJarBuilder.plugin("acme-imap")
 *         .version("1.2.0")
 *         .source("com.acme.AcmeSource", """
 *                 package com.acme;
 *                 public class AcmeSource implements io.mailroom.api.source.MailSource {
 *                     public String id() { return "acme"; }
 *                     public io.mailroom.api.source.SourceConnection connect(
 *                             io.mailroom.api.source.MailboxAccount account,
 *                             io.mailroom.api.ExtensionContext context) {
 *                         throw new UnsupportedOperationException();
 *                     }
 *                 }
 *                 """)
 *         .service(MailSource.class, "com.acme.AcmeSource")
 *         .resource("db/plugins/acme-imap/V1__seen.sql", "create table acme_seen (uid bigint)")
 *         .buildJar(pluginsDir);
 * }</pre>
 *
 * <p>Nothing is checked, on purpose: a service entry naming a class that no source defines, or
 * {@link #manifestAttribute} removing {@code Plugin-Id}, gives the broken plugins that failure
 * tests need. A source that does not compile fails the build with javac's messages.
 */
public final class PluginJarBuilder {

    private final String pluginId;
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, List<String>> services = new LinkedHashMap<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();
    private String classPath = System.getProperty("java.class.path");
    private String fileName;

    private PluginJarBuilder(String pluginId) {
        this.pluginId = Objects.requireNonNull(pluginId, "pluginId");
        manifest.put("Plugin-Id", pluginId);
        manifest.put("Plugin-Version", "1.0.0");
    }

    /** A plugin with this id, version 1.0.0, no plugin class and no content yet. */
    public static PluginJarBuilder plugin(String pluginId) {
        return new PluginJarBuilder(pluginId);
    }

    public PluginJarBuilder version(String version) {
        return manifestAttribute("Plugin-Version", version);
    }

    public PluginJarBuilder provider(String provider) {
        return manifestAttribute("Plugin-Provider", provider);
    }

    public PluginJarBuilder description(String description) {
        return manifestAttribute("Plugin-Description", description);
    }

    /** PF4J's dependency list, e.g. {@code "base@>=1.0.0, extras?"} ({@code ?} marks an optional one). */
    public PluginJarBuilder dependencies(String dependencies) {
        return manifestAttribute("Plugin-Dependencies", dependencies);
    }

    /** The {@code org.pf4j.Plugin} subclass PF4J starts and stops; give its code with {@link #source}. */
    public PluginJarBuilder pluginClass(String className) {
        return manifestAttribute("Plugin-Class", className);
    }

    /** Sets a main manifest attribute; {@code null} removes it (e.g. {@code Plugin-Id}, for a bad descriptor). */
    public PluginJarBuilder manifestAttribute(String name, String value) {
        if (value == null) {
            manifest.remove(name);
        } else {
            manifest.put(name, value);
        }
        return this;
    }

    /** Leaves every {@code Plugin-*} attribute out of the manifest: a jar PF4J cannot describe. */
    public PluginJarBuilder withoutDescriptor() {
        manifest.keySet().removeIf(name -> name.startsWith("Plugin-"));
        return this;
    }

    /** A Java compilation unit declaring the top-level class {@code className}. */
    public PluginJarBuilder source(String className, String javaSource) {
        sources.put(className, javaSource);
        return this;
    }

    /** Lists implementations in {@code META-INF/services/<point>}. */
    public PluginJarBuilder service(Class<?> point, String... classNames) {
        return service(point.getName(), classNames);
    }

    /** Lists implementations in {@code META-INF/services/<interfaceName>}. */
    public PluginJarBuilder service(String interfaceName, String... classNames) {
        services.computeIfAbsent(interfaceName, name -> new ArrayList<>()).addAll(List.of(classNames));
        return this;
    }

    /** Any other file, e.g. {@code db/plugins/<id>/V1__init.sql}. */
    public PluginJarBuilder resource(String path, String content) {
        return resource(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public PluginJarBuilder resource(String path, byte[] content) {
        resources.put(path, content.clone());
        return this;
    }

    /** The class path sources compile against; the running tests' class path by default. */
    public PluginJarBuilder classPath(String classPath) {
        this.classPath = classPath;
        return this;
    }

    /** The file name without extension; {@code <plugin id>-<version>} by default. */
    public PluginJarBuilder fileName(String fileName) {
        this.fileName = fileName;
        return this;
    }

    /** Writes {@code <file name>.jar} into {@code directory} (created if needed) and returns it. */
    public Path buildJar(Path directory) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(JarFile.MANIFEST_NAME, manifestBytes());
        entries.putAll(contents());
        return write(directory.resolve(baseName() + ".jar"), entries);
    }

    /**
     * Writes {@code <file name>.zip} in PF4J's zip layout (everything under {@code classes/},
     * the manifest at {@code classes/META-INF/MANIFEST.MF}); PF4J expands it next to itself.
     */
    public Path buildZip(Path directory) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("classes/" + JarFile.MANIFEST_NAME, manifestBytes());
        contents().forEach((path, bytes) -> entries.put("classes/" + path, bytes));
        return write(directory.resolve(baseName() + ".zip"), entries);
    }

    private String baseName() {
        return fileName != null ? fileName : pluginId + "-" + manifest.getOrDefault("Plugin-Version", "0");
    }

    private Map<String, byte[]> contents() {
        Map<String, byte[]> entries = new TreeMap<>(compile());
        services.forEach((point, classNames) -> entries.put("META-INF/services/" + point,
                (String.join("\n", classNames) + "\n").getBytes(StandardCharsets.UTF_8)));
        entries.putAll(resources);
        return entries;
    }

    private byte[] manifestBytes() {
        Manifest mf = new Manifest();
        Attributes main = mf.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((name, value) -> main.put(new Attributes.Name(name), value));
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            mf.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles the sources; returns class files by their path in the jar. */
    private Map<String, byte[]> compile() {
        if (sources.isEmpty()) {
            return Map.of();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("plugin-jar-");
            Path src = Files.createDirectories(work.resolve("src"));
            Path out = Files.createDirectories(work.resolve("classes"));
            List<Path> files = new ArrayList<>();
            for (var source : sources.entrySet()) {
                Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                files.add(Files.writeString(file, source.getValue()));
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                List<String> options = List.of("--release", "21", "-proc:none", "-encoding", "UTF-8",
                        "-classpath", classPath, "-d", out.toString());
                boolean ok = javac.getTask(null, fileManager, diagnostics, options, null,
                        fileManager.getJavaFileObjectsFromPaths(files)).call();
                if (!ok) {
                    throw new IllegalStateException("plugin " + pluginId + " does not compile:\n" + errors(diagnostics));
                }
            }
            try (Stream<Path> classes = Files.walk(out)) {
                Map<String, byte[]> result = new TreeMap<>();
                for (Path file : classes.filter(Files::isRegularFile).toList()) {
                    result.put(out.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
                return result;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static String errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                        + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
    }

    /** Writes the entries in order, each directory first: PF4J's service finder looks the directory up. */
    private static Path write(Path file, Map<String, byte[]> entries) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
                Set<String> written = new HashSet<>();
                for (var entry : entries.entrySet()) {
                    String path = entry.getKey();
                    for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                        String dir = path.substring(0, slash + 1);
                        if (written.add(dir)) {
                            zip.putNextEntry(new ZipEntry(dir));
                            zip.closeEntry();
                        }
                    }
                    zip.putNextEntry(new ZipEntry(path));
                    zip.write(entry.getValue());
                    zip.closeEntry();
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
