package io.mailroom.host.mime;

import jakarta.mail.internet.InternetHeaders;

import java.io.InputStream;

/**
 * Reads the subject of an attached message (message/rfc822), to name the attachment after it as
 * mail clients do. Only the header section is read, and at most 256 KB of it.
 */
final class AttachedMessages {

    private static final int MAX_HEADER_BYTES = 256 * 1024;

    private AttachedMessages() {
    }

    /** The decoded subject, or null when there is none or it cannot be read. */
    static String subject(MimeEntity entity, String encoding) {
        try (InputStream in = new BoundedInputStream(TransferDecoding.decode(entity.body().open(), encoding), MAX_HEADER_BYTES)) {
            InternetHeaders headers = new InternetHeaders(in, false);
            String subject = RawHeaders.of(headers.getAllHeaderLines()).first("subject");
            return subject == null ? null : RawHeaders.withoutControls(EncodedWords.decode(subject)).strip();
        } catch (Exception unreadable) {
            return null;
        }
    }
}
