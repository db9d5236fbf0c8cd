package io.mailroom.host.mime;

import io.mailroom.api.message.Address;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Every text pass over mail content is linear: the inputs here are a few hundred KB, which a
 * linear pass handles in milliseconds and a quadratic one (the regexes and substring loops these
 * passes used to have) takes minutes over. The bound is generous on purpose; it is not a timing
 * assertion but a wall that only a super-linear pass hits.
 */
class LinearTextPassesTest {

    private static final Duration WALL = Duration.ofSeconds(10);

    @Test
    void html_to_text_of_a_pre_full_of_spaces_is_linear() {
        String html = "<pre>" + " ".repeat(300_000) + "x</pre>";

        String text = assertTimeoutPreemptively(WALL, () -> HtmlToText.convert(html));

        assertThat(text).isEqualTo("x");
    }

    @Test
    void html_to_text_still_drops_spaces_before_line_breaks_and_squeezes_blank_lines() {
        assertThat(HtmlToText.convert("<pre>a   \n\n\n\n\tb \t\nc</pre>")).isEqualTo("a\n\n\tb\nc");
    }

    @Test
    void html_to_text_of_a_table_row_with_many_cells_is_linear() {
        String html = "<table><tr>" + "<td>a</td>".repeat(100_000) + "</tr></table>";

        String text = assertTimeoutPreemptively(WALL, () -> HtmlToText.convert(html));

        assertThat(text).startsWith("a a a").hasSize(2 * 100_000 - 1);
    }

    @Test
    void html_to_text_of_100000_nested_divs_is_linear() {
        String html = "<div>".repeat(100_000) + "deep" + "</div>".repeat(100_000);

        String text = assertTimeoutPreemptively(WALL, () -> HtmlToText.convert(html));

        assertThat(text).isEqualTo("deep");
    }

    @Test
    void a_subject_of_100000_reply_prefixes_keys_in_linear_time() {
        String subject = "Re: ".repeat(100_000) + "Invoice 42";

        String key = assertTimeoutPreemptively(WALL, () -> SubjectKey.of(subject));

        assertThat(key).isEqualTo("invoice 42");
    }

    @Test
    void a_subject_of_many_tags_and_trailing_fwd_markers_keys_in_linear_time() {
        String subject = "[x] ".repeat(50_000) + "Status" + " (fwd)".repeat(50_000);

        String key = assertTimeoutPreemptively(WALL, () -> SubjectKey.of(subject));

        assertThat(key).isEqualTo("status");
    }

    @Test
    void the_subject_key_is_cut_to_a_bounded_length_for_the_index() {
        String key = SubjectKey.of("Re: " + "ä".repeat(1_000_000));

        assertThat(key).hasSize(256).startsWith("äää");
    }

    @Test
    void a_file_name_of_a_million_leading_dots_is_cleaned_in_linear_time() {
        String name = ".".repeat(1_000_000) + "passwd";

        String safe = assertTimeoutPreemptively(WALL, () -> Filenames.safe(name));

        assertThat(safe).isEqualTo("passwd");
    }

    @Test
    void an_address_list_of_colons_after_brackets_parses_in_linear_time() {
        String value = "<>" + ":".repeat(1_000_000) + " joe@example.com";

        var addresses = assertTimeoutPreemptively(WALL, () -> AddressListParser.parse(value));

        assertThat(addresses).isNotNull();
        assertThat(AddressListParser.parse("Team: a@example.com")).containsExactly(new Address("", "a@example.com"));
    }

    @Test
    void a_date_of_unclosed_comments_parses_in_linear_time() {
        String value = "(".repeat(300_000) + " 3 Feb 2025 10:00 GMT";

        assertTimeoutPreemptively(WALL, () -> DateHeader.parse(value));
    }
}
