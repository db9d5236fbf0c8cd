package io.mailroom.host.mime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlToTextTest {

    @Test
    void block_elements_become_line_breaks_and_entities_are_decoded() {
        assertThat(HtmlToText.convert("<h1>Title</h1><p>First &amp; second&nbsp;line<br>next</p><div>caf&eacute;</div>"))
                .isEqualTo("Title\n\nFirst & second line\nnext\n\ncafé");
    }

    @Test
    void links_keep_their_target_in_parentheses() {
        assertThat(HtmlToText.convert("<p>See <a href=\"https://example.com/x\">the docs</a>, "
                + "<a href=\"https://example.com\">https://example.com</a> and "
                + "<a href=\"mailto:help@example.com\">help@example.com</a>.</p>"))
                .isEqualTo("See the docs (https://example.com/x), https://example.com and help@example.com.");
    }

    @Test
    void lists_tables_and_skipped_elements() {
        assertThat(HtmlToText.convert("<html><head><title>x</title><style>p{}</style></head><body>"
                + "<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
                + "<script>var x = 1;</script></body></html>"))
                .isEqualTo("- one\n- two\n\na b\nc");
    }

    @Test
    void preformatted_text_keeps_its_spacing() {
        assertThat(HtmlToText.convert("<pre>a   b\n  c</pre>")).isEqualTo("a   b\n  c");
    }

    @Test
    void blank_html_gives_empty_text() {
        assertThat(HtmlToText.convert("")).isEmpty();
        assertThat(HtmlToText.convert(null)).isEmpty();
        assertThat(HtmlToText.convert("<p> </p>")).isEmpty();
    }
}
