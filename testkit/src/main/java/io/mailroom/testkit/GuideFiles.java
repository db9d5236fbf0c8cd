package io.mailroom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a guide in docs/ shows: a line that is only a path in backticks and a colon
 * ({@code `acme-oauth/pom.xml`:}), then, after blank lines, a fenced block with the file's text.
 */
public final class GuideFiles {

    private GuideFiles() {
    }

    /** Path to content, in the order the guide shows them. */
    public static Map<String, String> read(Path guide) {
        List<String> lines;
        try {
            lines = Files.readAllLines(guide);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!(line.startsWith("`") && line.endsWith("`:") && line.length() > 3)) {
                continue;
            }
            String path = line.substring(1, line.length() - 2);
            int start = i + 1;
            while (start < lines.size() && lines.get(start).isBlank()) {
                start++;
            }
            if (start == lines.size() || !lines.get(start).startsWith("```")) {
                continue;
            }
            StringBuilder content = new StringBuilder();
            int end = start + 1;
            while (end < lines.size() && !lines.get(end).equals("```")) {
                content.append(lines.get(end)).append('\n');
                end++;
            }
            files.put(path, content.toString());
            i = end;
        }
        return files;
    }

    /** The files that make the plugin itself: all but tests. */
    public static Map<String, String> mainFiles(Map<String, String> files) {
        Map<String, String> main = new LinkedHashMap<>(files);
        main.keySet().removeIf(path -> path.contains("/src/test/"));
        return main;
    }
}
