package io.mailroom.host.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bounds a message's header section before mime4j reads it into objects: at most {@link #MAX_LINES}
 * lines and {@link #MAX_BYTES} bytes. Real mail has a few hundred header lines; a message of a
 * million one-byte fields would otherwise become a million objects. What is over the bound is left
 * out of the parse (the raw message keeps it). Body parts are bounded by {@link MultipartLimits}.
 */
final class HeaderLimits {

    static final int MAX_LINES = 10_000;
    static final int MAX_BYTES = 8 * 1024 * 1024;

    private HeaderLimits() {
    }

    /**
     * Where a header section read from {@code in} ends when it is over the bounds.
     *
     * @return {@code cut} (where reading must stop) and {@code bodyStart} (after the blank line,
     *         or the end of the stream), or null when the section is within the bounds
     */
    static Cut scan(InputStream in) throws IOException {
        long offset = 0;
        long cut = -1;
        int lines = 0;
        boolean lineStart = true;
        boolean blank = true;
        int previous = -1;
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++, offset++) {
                int c = buffer[i] & 0xFF;
                if (lineStart) {
                    lines++;
                    if (cut < 0 && (lines > MAX_LINES || offset > MAX_BYTES)) {
                        cut = offset;
                    }
                    lineStart = false;
                    blank = true;
                }
                if (c == '\n') {
                    if (blank) {
                        return cut < 0 ? null : new Cut(cut, offset + 1);
                    }
                    lineStart = true;
                } else if (c != '\r' || previous == '\r') {
                    blank = false;
                }
                previous = c;
            }
            if (cut < 0 && offset > MAX_BYTES) {
                cut = MAX_BYTES;
            }
        }
        return cut < 0 ? null : new Cut(cut, offset);
    }

    record Cut(long cut, long bodyStart) {
    }
}
