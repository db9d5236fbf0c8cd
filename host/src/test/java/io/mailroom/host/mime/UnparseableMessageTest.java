package io.mailroom.host.mime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class UnparseableMessageTest {

    @Test
    void an_empty_message_is_unparseable_with_a_reason() {
        assertThat(reasonFor(new byte[0])).isEqualTo("the message is empty");
    }

    @Test
    void blank_lines_alone_are_unparseable() {
        assertThat(reasonFor("\r\n\r\n  \r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("the message holds only blank lines");
    }

    @Test
    void text_that_is_not_a_message_is_unparseable() {
        assertThat(reasonFor("Hello, this is just a note\nwith two lines, not an email.\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("no header section: the data is not an RFC 5322 message");
    }

    @Test
    void binary_data_is_unparseable() {
        byte[] png = java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        UnparseableMessageException e = catchThrowableOfType(UnparseableMessageException.class,
                () -> Samples.parse(new MessageParser(), png));
        assertThat(e.reason()).startsWith("no header section");
        assertThat(e).isInstanceOf(io.mailroom.api.PermanentException.class);
        assertThat(e.getMessage()).isEqualTo("unparseable message: " + e.reason());
    }

    @Test
    void a_message_with_headers_only_and_no_body_parses() {
        ParsedMessage message = Samples.parseText("From: a@example.com\nSubject: headers only");

        assertThat(message.subject()).isEqualTo("headers only");
        assertThat(message.text()).isEmpty();
        assertThat(message.html()).isNull();
    }

    @Test
    void an_mbox_separator_and_leading_blank_lines_are_skipped() {
        ParsedMessage message = Samples.parseText("\n\nFrom sender@example.com Mon Feb  3 10:00:00 2025\n"
                + "From: sender@example.com\nSubject: from mbox\n\nbody");

        assertThat(message.from().email()).isEqualTo("sender@example.com");
        assertThat(message.subject()).isEqualTo("from mbox");
        assertThat(message.text()).isEqualTo("body");
    }

    @Test
    void a_byte_order_mark_before_the_first_header_does_not_hide_it() {
        byte[] text = "From: bom@example.com\r\nSubject: with BOM\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[text.length + 3];
        raw[0] = (byte) 0xEF;
        raw[1] = (byte) 0xBB;
        raw[2] = (byte) 0xBF;
        System.arraycopy(text, 0, raw, 3, text.length);

        ParsedMessage message = Samples.parse(new MessageParser(), raw);

        assertThat(message.from().email()).isEqualTo("bom@example.com");
        assertThat(message.subject()).isEqualTo("with BOM");
    }

    private static String reasonFor(byte[] raw) {
        return catchThrowableOfType(UnparseableMessageException.class, () -> Samples.parse(new MessageParser(), raw))
                .reason();
    }
}
