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
                Map.of("filename*1", "second", "filename*0", "first-"), "first-second");
        cases.forEach((params, name) -> {
            assertThat(Rfc2231Parameters.join(new java.util.LinkedHashMap<>(params))).containsEntry("filename", name);
            MimeParameterMapping mime4j = new MimeParameterMapping();
            params.forEach(mime4j::addParameter);
            assertThat(mime4j.get("filename")).isNotEqualTo(name);
        });
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

    private static Instant mime4jDate(String value) {
        DateTimeField field = (DateTimeField) LenientFieldParser.getParser().parse(new RawField("Date", value),
                DecodeMonitor.SILENT);
        Date date = field.getDate();
        return date == null ? null : date.toInstant();
    }
}
