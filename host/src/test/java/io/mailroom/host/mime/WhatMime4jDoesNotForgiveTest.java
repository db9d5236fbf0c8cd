package io.mailroom.host.mime;

import io.mailroom.api.message.Address;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.util.MimeParameterMapping;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why the package still has its own decoders beside Apache mime4j (whose base64 and
 * quoted-printable streams it uses): for each one kept, real-world input that mime4j's lenient
 * counterpart (with {@link DecodeMonitor#SILENT}) gets wrong and ours gets right. If a mime4j
 * upgrade makes one of these pass, that decoder can go.
 */
class WhatMime4jDoesNotForgiveTest {

    @Test
    void encoded_words_split_mid_character_unknown_charsets_language_tags_and_missing_padding() {
        Map<String, String> cases = Map.of(
                "Re: =?utf-8?b?5pc=?= =?UTF-8?B?peacrA==?= report", "Re: 日本 report", // one character over two words
                "=?x-mystery?q?caf=E9?=", "café",                                      // unknown charset
                "=?utf-8*de?Q?Stra=C3=9Fe?=", "Straße",                                  // RFC 2231 language tag
                "=?utf-8?B?w6k?=", "é");                                                 // no padding
        cases.forEach((word, text) -> {
            assertThat(EncodedWords.decode(word)).isEqualTo(text);
            assertThat(DecoderUtil.decodeEncodedWords(word, DecodeMonitor.SILENT)).isNotEqualTo(text);
        });
    }

    @Test
    void rfc2231_parameters_with_unknown_or_wrong_charsets_and_continuations_out_of_order() {
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("filename*", "x-unknown''caf%E9.txt"), "café.txt",
                Map.of("filename*", "utf-8''caf%E9.txt"), "café.txt",
                inOrder("filename*1", "second", "filename*0", "first-"), "first-second");
        cases.forEach((params, name) -> {
            assertThat(Rfc2231Parameters.join(new java.util.LinkedHashMap<>(params))).containsEntry("filename", name);
            MimeParameterMapping mime4j = new MimeParameterMapping();
            params.forEach(mime4j::addParameter);
            assertThat(mime4j.get("filename")).isNotEqualTo(name);
        });
    }

    /** Parameters in the order a sender wrote them (Map.of has no order; mime4j fails only on this one). */
    private static Map<String, String> inOrder(String... namesAndValues) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return params;
    }

    @Test
    void dates_in_asctime_and_iso_shape_and_zone_names() {
        assertThat(DateHeader.parse("Mon Feb  3 10:00:00 2025")).isEqualTo(Instant.parse("2025-02-03T10:00:00Z"));
        assertThat(mime4jDate("Mon Feb  3 10:00:00 2025")).isNull();
        assertThat(DateHeader.parse("2025-02-03T10:00:00+02:00")).isEqualTo(Instant.parse("2025-02-03T08:00:00Z"));
        assertThat(mime4jDate("2025-02-03T10:00:00+02:00")).isNull();
        assertThat(DateHeader.parse("Tue, 4 Mar 25 14:05 EST")).isEqualTo(Instant.parse("2025-03-04T19:05:00Z"));
        assertThat(mime4jDate("Tue, 4 Mar 25 14:05 EST")).isNotEqualTo(Instant.parse("2025-03-04T19:05:00Z"));
    }

    @Test
    void addresses_written_as_mailto_links_and_names_in_comments() {
        assertThat(AddressListParser.parse("<mailto:x@example.com>")).containsExactly(new Address("", "x@example.com"));
        assertThat(((Mailbox) LenientAddressParser.DEFAULT.parseAddress("<mailto:x@example.com>")).getAddress())
                .isNotEqualTo("x@example.com");
        assertThat(AddressListParser.parse("b@example.com (Bee)")).containsExactly(new Address("Bee", "b@example.com"));
        assertThat(((Mailbox) LenientAddressParser.DEFAULT.parseAddress("b@example.com (Bee)")).getName()).isNotEqualTo("Bee");
    }

    @Test
    void utf8_bytes_under_a_latin1_label_are_read_as_utf8() {
        byte[] bytes = "café".getBytes(StandardCharsets.UTF_8);
        assertThat(CharsetFallback.decode(bytes, "iso-8859-1")).isEqualTo("café");
        assertThat(new String(bytes, org.apache.james.mime4j.util.CharsetUtil.lookup("iso-8859-1"))).isNotEqualTo("café");
    }

    @Test
    void a_multipart_whose_boundary_parameter_does_not_match_the_body_is_split_at_its_first_dash_line() throws Exception {
        String message = "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"declared\"\r\n\r\n"
                + "--actual\r\nContent-Type: text/plain\r\n\r\nthe real text\r\n--actual--\r\n";
        assertThat(Samples.parse(new MessageParser(), message.getBytes(StandardCharsets.US_ASCII)).text())
                .isEqualTo("the real text");
        assertThat(mime4jBodyParts(message)).isZero();
    }

    @Test
    void a_multipart_without_a_boundary_parameter_is_split_at_its_first_dash_line() throws Exception {
        String message = "From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--b\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--b--\r\n";
        assertThat(Samples.parse(new MessageParser(), message.getBytes(StandardCharsets.US_ASCII)).text())
                .isEqualTo("first\n\nsecond");
        assertThat(mime4jBodyParts(message)).isZero();
    }

    @Test
    void a_transfer_encoded_multipart_is_decoded_before_it_is_split() throws Exception {
        String inner = "--b\r\nContent-Type: text/plain\r\n\r\ninside base64\r\n--b--\r\n";
        String message = "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII)) + "\r\n";
        assertThat(Samples.parse(new MessageParser(), message.getBytes(StandardCharsets.US_ASCII)).text())
                .isEqualTo("inside base64");
        assertThat(mime4jBodyParts(message)).isZero();
    }

    @Test
    void limits_cut_a_message_instead_of_failing_it() {
        StringBuilder message = new StringBuilder("From: a@example.com\r\nSubject: many fields\r\n");
        for (int i = 0; i < HeaderLimits.MAX_LINES + 10; i++) {
            message.append("X-F: ").append(i).append("\r\n");
        }
        message.append("\r\nthe body\r\n");
        ParsedMessage parsed = Samples.parse(new MessageParser(), message.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(parsed.subject()).isEqualTo("many fields");
        assertThat(parsed.text()).isEqualTo("the body");
        assertThat(parsed.cut()).isTrue();
        org.apache.james.mime4j.stream.MimeTokenStream mime4j = new org.apache.james.mime4j.stream.MimeTokenStream(
                new org.apache.james.mime4j.stream.MimeConfig.Builder().setMaxHeaderCount(HeaderLimits.MAX_LINES).build());
        mime4j.parse(new java.io.ByteArrayInputStream(message.toString().getBytes(StandardCharsets.US_ASCII)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            while (mime4j.next() != org.apache.james.mime4j.stream.EntityState.T_END_OF_STREAM) {
                // read on
            }
        }).isInstanceOf(org.apache.james.mime4j.MimeException.class);
    }

    @Test
    void uuencoded_bodies_are_decoded() throws Exception {
        String message = "From: a@example.com\r\nContent-Type: application/octet-stream; name=hi.txt\r\n"
                + "Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 hi.txt\r\n#:&D*\r\n`\r\nend\r\n";
        try (ParsedMessage parsed = Samples.parse(new MessageParser(), message.getBytes(StandardCharsets.US_ASCII))) {
            assertThat(parsed.attachments()).singleElement().satisfies(a -> {
                assertThat(a.size()).isEqualTo(3);
                assertThat(new String(Samples.attachment(message.getBytes(StandardCharsets.US_ASCII), a), StandardCharsets.US_ASCII))
                        .isEqualTo("hi\n");
            });
        }
        org.apache.james.mime4j.stream.MimeTokenStream mime4j = new org.apache.james.mime4j.stream.MimeTokenStream();
        mime4j.parse(new java.io.ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
        while (mime4j.next() != org.apache.james.mime4j.stream.EntityState.T_BODY) {
            // to the body
        }
        assertThat(new String(mime4j.getDecodedInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("begin 644");
    }

    /** How many body parts mime4j's own lenient token stream finds in a message. */
    private static int mime4jBodyParts(String message) throws Exception {
        org.apache.james.mime4j.stream.MimeTokenStream stream = new org.apache.james.mime4j.stream.MimeTokenStream(
                new org.apache.james.mime4j.stream.MimeConfig.Builder().setStrictParsing(false).build());
        stream.parse(new java.io.ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
        int parts = 0;
        for (org.apache.james.mime4j.stream.EntityState state = stream.next();
             state != org.apache.james.mime4j.stream.EntityState.T_END_OF_STREAM; state = stream.next()) {
            if (state == org.apache.james.mime4j.stream.EntityState.T_START_BODYPART) {
                parts++;
            }
        }
        return parts;
    }

    private static Instant mime4jDate(String value) {
        DateTimeField field = (DateTimeField) LenientFieldParser.getParser().parse(new RawField("Date", value),
                DecodeMonitor.SILENT);
        Date date = field.getDate();
        return date == null ? null : date.toInstant();
    }
}
