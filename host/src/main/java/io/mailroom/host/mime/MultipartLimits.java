package io.mailroom.host.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Finds where a multipart body must be cut before Angus splits it, because Angus makes an object
 * for every part and every header line of it before the walker sees the first: a message of a
 * million tiny parts, or one part with a million header lines, would be cut off by the heap.
 * One pass over the body counts the lines that start like a boundary and the header lines after
 * each; the body is cut at the first line over {@code maxParts} parts or over
 * {@link HeaderLimits#MAX_LINES} header lines in one part.
 */
final class MultipartLimits {

    private MultipartLimits() {
    }

    /**
     * @param boundary the declared boundary, or null when it has to be guessed (then any line
     *                 starting with {@code --} counts)
     * @return the offset to cut at, or -1 when the body is within the bounds
     */
    static long cutOffset(InputStream body, String boundary, int maxParts, ParseBudget budget) throws IOException {
        byte[] prefix = ("--" + (boundary == null ? "" : boundary)).getBytes(StandardCharsets.ISO_8859_1);
        long offset = 0;
        long lineStart = 0;
        int matched = 0;          // bytes of the prefix matched at the start of this line, -1 when it cannot match
        int boundaries = 0;
        int headerLines = -1;     // header lines of the current part; -1 outside a part's header section
        boolean blankLine = true;
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = body.read(buffer)) > 0) {
            budget.check();
            for (int i = 0; i < n; i++, offset++) {
                int c = buffer[i] & 0xFF;
                if (c == '\n') {
                    if (matched == prefix.length) {
                        if (++boundaries > maxParts) {
                            return lineStart;
                        }
                        headerLines = 0;
                    } else if (headerLines >= 0) {
                        headerLines = blankLine ? -1 : headerLines + 1;
                        if (headerLines > HeaderLimits.MAX_LINES) {
                            return lineStart;
                        }
                    }
                    lineStart = offset + 1;
                    matched = 0;
                    blankLine = true;
                    continue;
                }
                if (c != '\r') {
                    blankLine = false;
                }
                if (matched >= 0 && matched < prefix.length) {
                    matched = (byte) c == prefix[matched] ? matched + 1 : -1;
                }
            }
        }
        return -1;
    }
}
