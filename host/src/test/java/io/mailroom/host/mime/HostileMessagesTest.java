package io.mailroom.host.mime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The malformed messages of issue 8, generated here (no fixture files): each parses, with what
 * could be parsed and a note of what was cut, within a wall that only a super-linear parse or an
 * unbounded one hits. The wall is not a timing assertion: the whole dozen parses in a few seconds.
 */
class HostileMessagesTest {

    private static final Duration WALL = Duration.ofSeconds(60);

    @Test
    void a_dozen_malformed_messages_all_parse_with_what_could_be_read() {
        MessageParser parser = new MessageParser();
        Map<String, byte[]> mails = HostileMail.byName();
        List<String> outcomes = new ArrayList<>();

        assertTimeoutPreemptively(WALL, () -> {
            for (Map.Entry<String, byte[]> mail : mails.entrySet()) {
                try (ParsedMessage parsed = parser.parse(new ByteArrayInputStream(mail.getValue()))) {
                    assertThat(parsed.from()).as(mail.getKey()).isNotNull();
                    assertThat(parsed.text()).as(mail.getKey()).isNotNull();
                    assertThat(parsed.subject().length()).as(mail.getKey()).isLessThanOrEqualTo(MessageParser.MAX_SUBJECT_CHARS);
                    assertThat(SubjectKey.of(parsed.subject()).length()).isLessThanOrEqualTo(SubjectKey.MAX_LENGTH);
                    assertThat(parsed.text().length() + (parsed.html() == null ? 0 : parsed.html().length()))
                            .as(mail.getKey()).isLessThanOrEqualTo(3 * MimeTreeWalker.MAX_TEXT_BYTES);
                    outcomes.add(mail.getKey() + (parsed.cut() ? ": cut" : ": whole"));
                }
            }
        });

        assertThat(outcomes).hasSize(mails.size()).contains("1,000,000 parts: cut", "20,000 parts: cut",
                "1 MB subject: cut", "300,000 tiny header fields: cut", "bad charset: whole");
    }

    @Test
    void a_million_parts_are_cut_by_the_part_limit_and_the_first_ones_are_kept() {
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), HostileMail.millionParts())) {
            assertThat(parsed.cut()).isTrue();
            assertThat(parsed.text()).startsWith("0\n\n1\n\n2");
            assertThat(parsed.warnings()).anyMatch(w -> w.contains("more than " + MimeTreeWalker.MAX_PARTS + " parts"));
        }
    }

    @Test
    void a_header_section_of_a_hundred_thousand_tiny_fields_is_cut_and_the_body_still_found() {
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), HostileMail.tinyFields(100_000))) {
            assertThat(parsed.cut()).isTrue();
            assertThat(parsed.subject()).isEqualTo("tiny");
            assertThat(parsed.text()).isEqualTo("the body");
        }
    }

    @Test
    void a_message_over_its_parse_time_keeps_what_was_parsed_and_says_it_was_cut() {
        MessageParser impatient = new MessageParser(MessageParser.DEFAULT_MAX_ATTACHMENT_SIZE,
                Path.of(System.getProperty("java.io.tmpdir")), Duration.ZERO);
        byte[] raw = HostileMail.ascii("From: a@example.com\r\nSubject: slow\r\nContent-Type: text/html\r\n\r\n"
                + "<div>".repeat(50_000) + "deep" + "</div>".repeat(50_000) + "\r\n");

        try (ParsedMessage parsed = Samples.parse(impatient, raw)) {
            assertThat(parsed.cut()).isTrue();
            assertThat(parsed.subject()).isEqualTo("slow");
            assertThat(parsed.from().email()).isEqualTo("a@example.com");
            assertThat(parsed.html()).isNull();
            assertThat(parsed.warnings()).anyMatch(w -> w.startsWith("parsing took more than 0 s of CPU time"));
        }
    }

    @Test
    void all_html_bodies_together_are_cut_at_the_output_bound() {
        StringBuilder mail = new StringBuilder("From: a@example.com\r\nSubject: big html\r\n"
                + "Content-Type: multipart/mixed; boundary=h\r\n\r\n");
        String chunk = "<p>" + "word ".repeat(300_000) + "</p>";
        for (int i = 0; i < 4; i++) {
            mail.append("--h\r\nContent-Type: text/html\r\n\r\n").append(chunk).append("\r\n");
        }
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), HostileMail.ascii(mail + "--h--\r\n"))) {
            assertThat(parsed.cut()).isTrue();
            assertThat(parsed.html().length()).isLessThanOrEqualTo(MimeTreeWalker.MAX_TEXT_BYTES + 1024);
            assertThat(parsed.warnings()).anyMatch(w -> w.contains("all HTML bodies together"));
        }
    }

    @Test
    void an_over_long_or_multibyte_message_id_is_left_out_so_the_index_can_hold_it() {
        String longId = "é".repeat(600) + "@example.com"; // 600 characters, 1,200+ bytes
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), ("From: a@example.com\r\nMessage-ID: <" + longId
                + ">\r\nIn-Reply-To: <" + "x".repeat(5000) + "@example.com>\r\nReferences: <ok@example.com> <"
                + "y".repeat(5000) + ">\r\n\r\nbody").getBytes(StandardCharsets.UTF_8))) {
            assertThat(parsed.messageId()).isNull();
            assertThat(parsed.inReplyTo()).isNull();
            assertThat(parsed.references()).containsExactly("ok@example.com");
        }
    }
}
