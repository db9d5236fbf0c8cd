package io.mailroom.host.mime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlSanitizerTest {

    private final HtmlSanitizer sanitizer = new HtmlSanitizer();

    @Test
    void scripts_and_event_handlers_are_removed() {
        String clean = sanitizer.sanitize("<body onload=\"x()\"><p onclick=\"y()\">Hi<script>alert(1)</script></p>"
                + "<img src=\"https://example.com/a.png\" onerror=\"z()\"><svg onload=\"w()\"></svg></body>");

        assertThat(clean).isEqualTo("<p>Hi</p><img src=\"https://example.com/a.png\">");
    }

    @Test
    void javascript_and_data_urls_are_removed_but_safe_links_kept() {
        String clean = sanitizer.sanitize("<a href=\"javascript:alert(1)\">a</a><a href=\" JaVaScRiPt:alert(1)\">b</a>"
                + "<a href=\"java&#x09;script:alert(1)\">c</a><img src=\"data:image/svg+xml;base64,PHN2Zz4=\">"
                + "<a href=\"https://example.com\">d</a><a href=\"mailto:x@example.com\">e</a>");

        assertThat(clean).doesNotContainIgnoringCase("script").doesNotContain("data:")
                .contains("<a href=\"https://example.com\" rel=\"noopener noreferrer nofollow\">d</a>")
                .contains("href=\"mailto:x@example.com\"");
    }

    @Test
    void basic_formatting_and_cid_images_are_kept() {
        String html = "<p><b>bold</b> <i>it</i> <u>u</u> <br><a href=\"https://example.com\">link</a></p>"
                + "<table border=\"0\"><tr><td bgcolor=\"#eeeeee\" align=\"center\">cell</td></tr></table>"
                + "<ul><li>one</li></ul><blockquote>quoted</blockquote><img src=\"cid:part1.abc@example\" alt=\"logo\">";

        String clean = sanitizer.sanitize(html);

        assertThat(clean).contains("<b>bold</b>", "<i>it</i>", "<u>u</u>", "<br>", "<li>one</li>",
                "<blockquote>quoted</blockquote>", "<td bgcolor=\"#eeeeee\" align=\"center\">cell</td>",
                "<img src=\"cid:part1.abc@example\" alt=\"logo\">");
    }

    @Test
    void styles_keep_formatting_but_lose_urls_and_positioning() {
        String clean = sanitizer.sanitize("<div style=\"color: #333; font-size: 14px; background: url(https://t.example/p);"
                + " position: absolute; top: 0; width: expression(alert(1)); color: rgb(1, 2, 3)\">x</div>"
                + "<style>p { color: red }</style><p style=\"behavior: url(x.htc)\">y</p>");

        assertThat(clean).isEqualTo("<div style=\"color: #333; font-size: 14px; color: rgb(1, 2, 3)\">x</div><p>y</p>");
    }

    @Test
    void frames_forms_and_meta_refreshes_are_removed() {
        String clean = sanitizer.sanitize("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">"
                + "<base href=\"https://evil.example/\"><iframe src=\"https://evil.example\"></iframe>"
                + "<form action=\"https://evil.example\"><input name=\"password\"></form><object data=\"x\"></object>ok");

        assertThat(clean).isEqualTo("ok");
    }

    @Test
    void a_base_tag_cannot_turn_a_relative_url_into_a_remote_one() {
        String clean = new HtmlSanitizer().sanitize("<html><head><base href=\"https://tracker.example/t/\"></head><body>"
                + "<img src=x onerror=alert(1)><a href=\"page\">relative</a><img src=\"cid:logo\"></body></html>");

        assertThat(clean).doesNotContain("tracker.example").doesNotContain("onerror").contains("cid:logo")
                .contains(">relative</a>");
    }
}
