package io.mailroom.host.mime;

import org.apache.james.mime4j.stream.MimeTokenStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Reads the subject of an attached message (message/rfc822), to name the attachment after it as
 * mail clients do. Only the header section is read, from the first bytes of the decoded body.
 */
final class AttachedMessages {

    private AttachedMessages() {
    }

    /** The decoded subject, or null when there is none or it cannot be read. */
    static String subject(byte[] head) {
        try {
            MimeTokenStream stream = MimeStreams.create("text/plain", null, MimeTreeWalker.MAX_DEPTH);
            stream.parse(new ByteArrayInputStream(head));
            PartHeaders headers = MimeTreeWalker.headers(stream);
            String subject = headers == null ? null : headers.headers.first("subject");
            return subject == null ? null : RawHeaders.withoutControls(EncodedWords.decode(subject)).strip();
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }
}
