package io.mailroom.plugins.pop3;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pop3InputTest {

    /** A stream that hands out one byte per read, so every boundary of the buffer is crossed. */
    private static InputStream trickling(String text) {
        return new FilterInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1))) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    private static String body(Pop3Input input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        input.copyMultiline(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void removes_the_stuffed_dot_and_stops_at_the_terminating_line() throws IOException {
        Pop3Input input = new Pop3Input(trickling("+OK\r\nSubject: x\r\n\r\n..dotted\r\n...\r\nnot.\r\n.\r\n+OK next\r\n"));

        assertThat(input.readLine()).isEqualTo("+OK");
        assertThat(body(input)).isEqualTo("Subject: x\r\n\r\n.dotted\r\n..\r\nnot.\r\n");
        assertThat(input.readLine()).isEqualTo("+OK next");
    }

    @Test
    void reads_an_empty_body_and_bare_line_feeds() throws IOException {
        Pop3Input input = new Pop3Input(trickling(".\r\na\nb\n.\n+OK\n"));

        assertThat(body(input)).isEmpty();
        assertThat(body(input)).isEqualTo("a\nb\n");
        assertThat(input.readLine()).isEqualTo("+OK");
    }

    @Test
    void copies_lines_longer_than_its_buffer_intact() throws IOException {
        String line = "y".repeat(200_000);
        Pop3Input input = new Pop3Input(new ByteArrayInputStream((line + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII)));

        assertThat(body(input)).isEqualTo(line + "\r\n");
    }

    @Test
    void a_connection_that_ends_inside_a_body_is_an_error_not_a_short_message() {
        Pop3Input input = new Pop3Input(trickling("Subject: cut\r\n\r\nhalf a mess"));

        assertThatThrownBy(() -> body(input)).isInstanceOf(EOFException.class);
    }
}
