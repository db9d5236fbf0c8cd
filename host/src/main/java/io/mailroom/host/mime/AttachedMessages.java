package io.mailroom.host.mime;

import jakarta.mail.internet.InternetHeaders;

import java.io.FilterInputStream;
import java.io.IOException;
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
        try (InputStream in = new Bounded(TransferDecoding.decode(entity.body().open(), encoding), MAX_HEADER_BYTES)) {
            InternetHeaders headers = new InternetHeaders(in, false);
            String subject = RawHeaders.of(headers.getAllHeaderLines()).first("subject");
            return subject == null ? null : RawHeaders.withoutControls(EncodedWords.decode(subject)).strip();
        } catch (Exception unreadable) {
            return null;
        }
    }

    /** Ends the stream after {@code limit} bytes. */
    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = super.read();
            left -= c < 0 ? 0 : 1;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            left -= Math.max(n, 0);
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
