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

    static Map<String, byte[]> dozen() {
        Map<String, byte[]> mails = new LinkedHashMap<>();
        StringBuilder headers = new StringBuilder("From: a@example.com\r\nSubject: many headers\r\n");
        for (int i = 0; i < 10_000; i++) {
            headers.append("X-H").append(i).append(": v\r\n");
        }
        mails.put("10,000 headers", ascii(headers + "\r\nbody\r\n"));

        StringBuilder nested = new StringBuilder("From: a@example.com\r\nSubject: nested\r\n");
        for (int i = 0; i < 200; i++) {
            nested.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        nested.append("Content-Type: text/plain\r\n\r\ndeep text\r\n");
        for (int i = 199; i >= 0; i--) {
            nested.append("--b").append(i).append("--\r\n");
        }
        mails.put("200 nested multiparts", ascii(nested.toString()));

        StringBuilder parts = new StringBuilder("From: a@example.com\r\nSubject: parts\r\n"
                + "Content-Type: multipart/mixed; boundary=p\r\n\r\n");
        for (int i = 0; i < 20_000; i++) {
            parts.append("--p\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        mails.put("20,000 parts", ascii(parts + "--p--\r\n"));

        mails.put("1 MB header line", ascii("From: a@example.com\r\nSubject: long header\r\nX-Long: "
                + "y".repeat(1024 * 1024) + "\r\n\r\nbody\r\n"));
        mails.put("4 MB of spaces", ascii("From: a@example.com\r\nSubject: spaces\r\nContent-Type: text/html\r\n\r\n<pre>"
                + " ".repeat(4 * 1024 * 1024) + "x</pre>\r\n"));
        mails.put("100,000 nested divs", ascii("From: a@example.com\r\nSubject: divs\r\nContent-Type: text/html\r\n\r\n"
                + "<div>".repeat(100_000) + "deep" + "</div>".repeat(100_000) + "\r\n"));
        mails.put("endless Re: subject", ascii("From: a@example.com\r\nSubject: " + "Re: ".repeat(250_000)
                + "loop\r\n\r\nbody\r\n"));
        mails.put("1 MB subject", ascii("From: a@example.com\r\nSubject: " + "s".repeat(1024 * 1024) + "\r\n\r\nbody\r\n"));
        mails.put("bad charset", ascii("From: a@example.com\r\nSubject: =?x-klingon?B?qqqq?= charset\r\n"
                + "Content-Type: text/plain; charset=\"x-klingon\u0001\"\r\n\r\n\u00ff\u00fe caf\u00e9\r\n"));
        mails.put("NUL bytes", ascii("From: a\u0000@example.com\r\nSubject: nul\u0000 bytes\r\n\r\nbo\u0000dy\u0000\r\n"));
        mails.put("300,000 tiny header fields", tinyFields(300_000));
        mails.put("1,000,000 parts", millionParts());
        return mails;
    }

    @Test
    void a_dozen_malformed_messages_all_parse_with_what_could_be_read() {
        MessageParser parser = new MessageParser();
        Map<String, byte[]> mails = dozen();
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
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), millionParts())) {
            assertThat(parsed.cut()).isTrue();
            assertThat(parsed.text()).startsWith("0\n\n1\n\n2");
            assertThat(parsed.warnings()).anyMatch(w -> w.contains("more than " + MimeTreeWalker.MAX_PARTS + " parts"));
        }
    }

    @Test
    void a_header_section_of_a_hundred_thousand_tiny_fields_is_cut_and_the_body_still_found() {
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), tinyFields(100_000))) {
            assertThat(parsed.cut()).isTrue();
            assertThat(parsed.subject()).isEqualTo("tiny");
            assertThat(parsed.text()).isEqualTo("the body");
        }
    }

    @Test
    void a_message_over_its_parse_time_keeps_what_was_parsed_and_says_it_was_cut() {
        MessageParser impatient = new MessageParser(MessageParser.DEFAULT_MAX_ATTACHMENT_SIZE,
                Path.of(System.getProperty("java.io.tmpdir")), Duration.ZERO);
        byte[] raw = ascii("From: a@example.com\r\nSubject: slow\r\nContent-Type: text/html\r\n\r\n"
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
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), ascii(mail + "--h--\r\n"))) {
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

    static byte[] tinyFields(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("From: a@example.com\r\nSubject: tiny\r\n"));
        byte[] field = ascii("a:\r\n");
        for (int i = 0; i < count; i++) {
            out.writeBytes(field);
        }
        out.writeBytes(ascii("\r\nthe body\r\n"));
        return out.toByteArray();
    }

    static byte[] millionParts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(12_000_000);
        out.writeBytes(ascii("From: a@example.com\r\nSubject: a million parts\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"));
        for (int i = 0; i < 1_000_000; i++) {
            out.writeBytes(ascii("--m\r\n\r\n" + (i < 3 ? String.valueOf(i) : "") + "\r\n"));
        }
        out.writeBytes(ascii("--m--\r\n"));
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
