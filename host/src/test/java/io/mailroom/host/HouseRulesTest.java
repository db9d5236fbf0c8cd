package io.mailroom.host;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the house that the compiler does not check, read from the host's own sources:
 * the wiring lives in {@code MailroomCore}, and the packages stand in floors, none importing
 * one above it.
 */
class HouseRulesTest {

    private static final Path MAIN = Path.of("src/main/java/io/mailroom/host");
    private static final Pattern CLASS = Pattern.compile("^(?:public )?(?:final )?class (\\w+)", Pattern.MULTILINE);
    /** A reference to a type of another host package: {@code io.mailroom.host.mailboxes.Mailbox}. */
    private static final Pattern HOST_TYPE = Pattern.compile("io\\.mailroom\\.host\\.([a-z]+)\\.[A-Z]");

    /**
     * What a stage may build for itself because it is one call's data, not a collaborator: one
     * folder's read-ahead, one run's progress and slice, one held lock, one folder's stored keys.
     */
    private static final Set<String> PER_CALL = Set.of("BatchFeed", "SyncRun", "SyncLock", "StoredKeys");

    @Test
    void a_stage_of_the_pipeline_builds_no_other_stage() {
        Path pipeline = MAIN.resolve("pipeline");
        Set<String> stages = new TreeSet<>(List.of("Classifier", "MessageParser"));
        for (Path file : javaFiles(pipeline)) {
            Matcher declared = CLASS.matcher(read(file));
            while (declared.find()) {
                stages.add(declared.group(1));
            }
        }
        stages.removeAll(PER_CALL);
        List<String> built = new ArrayList<>();
        for (Path file : javaFiles(pipeline)) {
            String source = read(file);
            for (String stage : stages) {
                if (source.contains("new " + stage + "(")) {
                    built.add(file.getFileName() + " builds " + stage);
                }
            }
        }
        assertThat(built).as("stages get their collaborators through their constructors, from MailroomCore").isEmpty();
    }

    @Test
    void no_thread_pool_is_static() {
        List<String> pools = new ArrayList<>();
        for (Path file : javaFiles(MAIN)) {
            for (String line : read(file).split("\n")) {
                if (line.contains("static") && line.contains("Executors.new")) {
                    pools.add(MAIN.relativize(file) + ": " + line.strip());
                }
            }
        }
        assertThat(pools).isEmpty();
    }

    /**
     * No package imports one above it: the packages' imports form no loop. The root package is
     * left out: its files are the wiring, each on a floor of its own ({@code Main} above
     * {@code cli/}, {@code MailroomCore} below it).
     */
    @Test
    void the_packages_of_the_host_import_each_other_in_no_loop() {
        Map<String, Set<String>> imports = new TreeMap<>();
        for (Path file : javaFiles(MAIN)) {
            Path relative = MAIN.relativize(file);
            if (relative.getNameCount() < 2) {
                continue;
            }
            String from = relative.getName(0).toString();
            Set<String> targets = imports.computeIfAbsent(from, key -> new TreeSet<>());
            for (String line : read(file).split("\n")) {
                String code = line.strip();
                if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                    continue;
                }
                Matcher type = HOST_TYPE.matcher(code);
                while (type.find()) {
                    if (!type.group(1).equals(from)) {
                        targets.add(type.group(1));
                    }
                }
            }
        }
        assertThat(loops(imports)).isEmpty();
    }

    /** Each package that reaches itself again through the imports, with the way back: {@code auth -> http -> auth}. */
    private static List<String> loops(Map<String, Set<String>> imports) {
        List<String> loops = new ArrayList<>();
        for (String start : imports.keySet()) {
            List<String> way = wayBack(start, start, imports, new LinkedHashSet<>());
            if (way != null) {
                loops.add(start + " -> " + String.join(" -> ", way));
            }
        }
        return loops;
    }

    private static List<String> wayBack(String at, String target, Map<String, Set<String>> imports, Set<String> seen) {
        for (String next : imports.getOrDefault(at, Set.of())) {
            if (next.equals(target)) {
                return new ArrayList<>(List.of(next));
            }
            if (seen.add(next)) {
                List<String> rest = wayBack(next, target, imports, seen);
                if (rest != null) {
                    rest.add(0, next);
                    return rest;
                }
            }
        }
        return null;
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
