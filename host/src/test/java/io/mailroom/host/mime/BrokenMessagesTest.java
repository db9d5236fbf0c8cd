package io.mailroom.host.mime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The malformed messages of issue 15 ({@link BrokenMail}) at the parser: each is parsed within
 * the bounds, with what could be read, or refused as not a message (the pipeline quarantines
 * it); none fails the parser itself. The wall is not a timing assertion: all of them parse in
 * a couple of seconds; only an unbounded or super-linear parse reaches it.
 */
class BrokenMessagesTest {

    private static final Duration WALL = Duration.ofSeconds(60);

    @Test
    void every_broken_message_is_parsed_within_the_bounds_or_refused_as_not_a_message() {
        MessageParser parser = new MessageParser();
        List<String> outcomes = new ArrayList<>();
        assertTimeoutPreemptively(WALL, () -> {
            for (Map.Entry<String, BrokenMail.Case> mail : BrokenMail.byName().entrySet()) {
                String name = mail.getKey();
                UnparseableMessageException refused = catchThrowableOfType(UnparseableMessageException.class, () -> {
                    try (ParsedMessage parsed = parser.parse(new ByteArrayInputStream(mail.getValue().raw()))) {
                        ParsedBounds.check(name, parsed);
                    }
                });
                if (refused != null) {
                    assertThat(refused.reason()).as(name).doesNotStartWith("the parser failed");
                }
                assertThat(refused != null).as(name + (refused == null ? " was stored" : ": " + refused.reason()))
                        .isEqualTo(mail.getValue().quarantined());
                outcomes.add(name + (refused == null ? ": stored" : ": quarantined"));
            }
        });
        assertThat(outcomes).hasSize(BrokenMail.byName().size());
    }

    @Test
    void a_decompression_bomb_is_counted_as_the_compressed_bytes_and_never_inflated() {
        try (ParsedMessage gzip = Samples.parse(new MessageParser(), BrokenMail.byName().get("gzip bomb attachment").raw());
             ParsedMessage zip = Samples.parse(new MessageParser(), BrokenMail.byName().get("zip bomb attachment").raw());
             ParsedMessage body = Samples.parse(new MessageParser(), BrokenMail.byName().get("gzip-encoded text body").raw())) {
            assertThat(gzip.attachments()).singleElement().satisfies(a -> {
                assertThat(a.size()).isEqualTo(BrokenMail.gzipBomb().length).isLessThan(1024 * 1024);
                assertThat(a.stored()).isTrue();
                assertThat(a.filename()).isEqualTo("zeros.gz");
            });
            assertThat(zip.attachments()).singleElement().satisfies(a ->
                    assertThat(a.size()).isEqualTo(BrokenMail.zipBomb().length).isLessThan(1024 * 1024));
            assertThat(body.text().length()).as("Content-Encoding is not a transfer encoding")
                    .isLessThanOrEqualTo(BrokenMail.gzipBomb().length);
        }
    }

    @Test
    void a_base64_part_that_decodes_over_the_attachment_limit_keeps_its_metadata_only() {
        int decoded = 3 * 1024 * 1024;
        try (ParsedMessage parsed = Samples.parse(new MessageParser(1024 * 1024), BrokenMail.largeAttachment(decoded))) {
            assertThat(parsed.cut()).isFalse();
            assertThat(parsed.attachments()).singleElement().satisfies(a -> {
                assertThat(a.size()).isEqualTo(decoded);
                assertThat(a.stored()).isFalse();
                assertThat(a.filename()).isEqualTo("large.bin");
            });
        }
    }

    @Test
    void file_names_in_wrong_charsets_come_out_safe_for_a_download_header() {
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), BrokenMail.byName().get("invalid charset in file names").raw())) {
            assertThat(parsed.attachments()).hasSize(5).allSatisfy(a -> {
                assertThat(a.filename()).isNotBlank().doesNotContain("/", "\\", "\"").hasSizeLessThanOrEqualTo(255)
                        .doesNotStartWith(".");
                assertThat(a.filename().chars()).noneMatch(c -> c < 0x20 || c == 0x7F);
            });
        }
    }

    @Test
    void headers_with_cr_only_line_ends_are_read_as_lines() {
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), BrokenMail.byName().get("CR-only line ends").raw())) {
            assertThat(parsed.from().email()).isEqualTo("a@example.com");
            assertThat(parsed.subject()).isEqualTo("old mac");
            assertThat(parsed.text()).isEqualTo("line one\nline two");
        }
    }

    @Test
    void missing_headers_give_empty_values_not_failures() {
        try (ParsedMessage noFrom = Samples.parse(new MessageParser(), BrokenMail.byName().get("no From").raw());
             ParsedMessage bare = Samples.parse(new MessageParser(), BrokenMail.byName().get("no Subject, From, To or Date").raw())) {
            assertThat(noFrom.from()).isNull();
            assertThat(noFrom.subject()).isEqualTo("from nobody");
            assertThat(bare.from()).isNull();
            assertThat(bare.date()).isNull();
            assertThat(bare.subject()).isEmpty();
            assertThat(bare.text()).isEqualTo("body");
        }
    }

    /** Nothing that reads mail inflates what it reads: a compressed attachment is stored and served as it came. */
    @Test
    void no_code_that_reads_mail_decompresses() throws IOException {
        Path main = Path.of("src/main/java/io/mailroom/host");
        List<String> inflating = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                for (String api : List.of("GZIPInputStream", "InflaterInputStream", "ZipInputStream", "java.util.zip.Inflater",
                        "ZipFile", "new Inflater")) {
                    if (source.contains(api)) {
                        inflating.add(main.relativize(file) + ": " + api);
                    }
                }
            }
        }
        assertThat(inflating).isEmpty();
    }
}
