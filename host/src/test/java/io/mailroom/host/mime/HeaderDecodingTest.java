package io.mailroom.host.mime;

import io.mailroom.api.message.Address;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The lenient decoders behind MessageParser, case by case. */
class HeaderDecodingTest {

    @Test
    void dates_in_the_shapes_mail_actually_carries_are_read() {
        assertThat(DateHeader.parse("Mon, 3 Feb 2025 10:00:00 +0100 (CET)")).isEqualTo(Instant.parse("2025-02-03T09:00:00Z"));
        assertThat(DateHeader.parse("3 Feb 25 10:00 GMT")).isEqualTo(Instant.parse("2025-02-03T10:00:00Z"));
        assertThat(DateHeader.parse("Monday, 03-Feb-2025 10:00:00 PST")).isEqualTo(Instant.parse("2025-02-03T18:00:00Z"));
        assertThat(DateHeader.parse("Mon Feb  3 10:00:00 2025")).isEqualTo(Instant.parse("2025-02-03T10:00:00Z"));
        assertThat(DateHeader.parse("2025-02-03T10:00:00+02:00")).isEqualTo(Instant.parse("2025-02-03T08:00:00Z"));
        assertThat(DateHeader.parse("Mon, 3 Feb 2025 10:00:00 GMT+0100")).isEqualTo(Instant.parse("2025-02-03T09:00:00Z"));
    }

    @Test
    void flowed_text_with_delsp_loses_the_space_that_marked_the_wrap() {
        assertThat(FlowedText.unflow("Donau\u00ADdampf \nschiff, Ka \npit\u00e4n\n", true))
                .isEqualTo("Donau\u00ADdampfschiff, Kapit\u00e4n\n");
        assertThat(FlowedText.unflow("one \ntwo\n", false)).isEqualTo("one two\n");
    }

    @Test
    void garbage_dates_are_null() {
        assertThat(DateHeader.parse("sometime last week")).isNull();
        assertThat(DateHeader.parse("31 Feb 2025 10:00")).isNull();
        assertThat(DateHeader.parse("1 Jan 0001 00:00")).isNull();
        assertThat(DateHeader.parse("")).isNull();
    }

    @Test
    void content_type_parameters_are_read_leniently() {
        HeaderValue value = HeaderValue.parse("Text/Plain charset=\"UTF-8\" ; format=flowed;; name=my file.txt; name=second");

        assertThat(value.value()).isEqualTo("text/plain");
        assertThat(value.params()).containsEntry("charset", "UTF-8").containsEntry("format", "flowed")
                .containsEntry("name", "my file.txt");
        assertThat(HeaderValue.parse("attachment; filename=\"unterminated.pdf").param("filename")).isEqualTo("unterminated.pdf");
        assertThat(HeaderValue.parse("attachment; filename*=iso-8859-1'de'Gr%FC%DFe.txt").param("filename"))
                .isEqualTo("Grüße.txt");
    }

    @Test
    void address_lists_survive_groups_comments_and_broken_quotes() {
        assertThat(AddressListParser.parse("undisclosed-recipients:;")).isEmpty();
        assertThat(AddressListParser.parse("Team: a@example.com, \"Doe, Jane\" <JANE@example.com>;, b@example.com (Bee)"))
                .containsExactly(new Address("", "a@example.com"), new Address("Doe, Jane", "jane@example.com"),
                        new Address("Bee", "b@example.com"));
        assertThat(AddressListParser.parse("\"Broken <broken@example.com>")).containsExactly(
                new Address("Broken", "broken@example.com"));
        assertThat(AddressListParser.parse("<mailto:x@example.com>, \"y@example.com\"")).containsExactly(
                new Address("", "x@example.com"), new Address("", "y@example.com"));
    }

    @Test
    void stateful_and_legacy_charsets_in_encoded_words_decode() {
        assertThat(EncodedWords.decode("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=")).isEqualTo("日本語");
        assertThat(EncodedWords.decode("=?ks_c_5601-1987?B?x9GxucH2?=")).isEqualTo("한국지");
        assertThat(EncodedWords.decode("=?gb2312?B?1tDOxA==?=")).isEqualTo("中文");
        assertThat(EncodedWords.decode("=?utf-8?B?w6k?=")).isEqualTo("é"); // missing padding
    }

    @Test
    void message_ids_are_found_with_or_without_brackets() {
        assertThat(MessageIds.all("<a@x> <b@x>\r\n <a@x> (comment) <c@\r\n x>")).containsExactly("a@x", "b@x", "c@x");
        assertThat(MessageIds.first("bare-id@example.com")).isEqualTo("bare-id@example.com");
        assertThat(MessageIds.first("  ")).isNull();
    }
}
