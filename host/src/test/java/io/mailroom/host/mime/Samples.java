package io.mailroom.host.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The sample messages under {@code src/test/resources/mime}. */
final class Samples {

    static final List<String> ALL = List.of("bad-encodings.eml", "dsn-bounce.eml", "encoded-words.eml",
            "flowed.eml", "garbage-duplicate-date.eml", "html-only.eml", "latin1-raw-headers.eml",
            "mailing-list.eml", "missing-end-boundary.eml", "nested-rfc822.eml", "newsletter.eml",
            "no-boundary-at-all.eml", "no-date.eml", "normal-reply.eml", "related-cid.eml",
            "rfc2231-filenames.eml", "same-attachment-twice.eml", "unknown-charsets.eml",
            "utf8-mislabelled.eml", "vacation-reply.eml", "wrong-boundary.eml");

    private Samples() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/mime/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedMessage parse(String name) {
        return parse(new MessageParser(), bytes(name));
    }

    static ParsedMessage parse(MessageParser parser, byte[] raw) {
        try {
            return parser.parse(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The decoded bytes of a parsed attachment, read again from the raw message by its part, as a
     * download reads them; they must have the size and hash the parse recorded.
     */
    static byte[] attachment(byte[] raw, ParsedAttachment attachment) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            MessageParser.CopiedAttachment copied = new MessageParser()
                    .copyAttachment(new ByteArrayInputStream(raw), attachment.part(), out).orElseThrow();
            org.assertj.core.api.Assertions.assertThat(copied.size()).isEqualTo(attachment.size()).isEqualTo(out.size());
            org.assertj.core.api.Assertions.assertThat(copied.sha256()).isEqualTo(attachment.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A message from text with LF line ends, sent with CRLF as on the wire. */
    static ParsedMessage parseText(String message) {
        return parse(new MessageParser(), message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
