package io.mailroom.plugins.pop3;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POP3 keeps no dates, and the plugin parses none from the mail: the host applies the first-sync
 * window and knows the dates of what it stored, with the one date parser it has. No class of the
 * plugin builds a date from text (no java.time.format, no LocalDateTime, no ZoneOffset), and none
 * asks the server for header sections (TOP) to read dates from.
 */
class Pop3ReadsNoDatesTest {

    private static final List<String> DATE_PARSING = List.of("java/time/format/", "java/time/LocalDateTime",
            "java/time/ZoneOffset", "java/time/ZonedDateTime", "java/time/OffsetDateTime", "TOP ");

    @Test
    void the_plugin_has_no_date_parser() throws IOException, URISyntaxException {
        Path classes = Path.of(Pop3Source.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/mailroom/plugins/pop3");
        try (Stream<Path> files = Files.list(classes)) {
            List<Path> all = files.filter(file -> file.toString().endsWith(".class")).toList();
            assertThat(all).isNotEmpty();
            for (Path file : all) {
                // the constant pool holds the names of the types a class uses and its string constants
                String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(DATE_PARSING).as(file.getFileName().toString()).noneMatch(constants::contains);
            }
        }
    }
}
