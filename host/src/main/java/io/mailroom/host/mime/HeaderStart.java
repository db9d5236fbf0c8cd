package io.mailroom.host.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * Finds where the header section starts: after blank lines some servers and tools put in front,
 * after a UTF-8 byte order mark (which would otherwise hide the first field), and after an mbox
 * {@code From } separator line (not a {@code From:} header) when the message came out of an mbox file.
 */
final class HeaderStart {

    private static final int MAX_SCAN = 64 * 1024;

    private HeaderStart() {
    }

    /** The offset of the first header line, or -1 when there is nothing but blank lines. */
    static long find(InputStream message) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(message)) {
            long offset = 0;
            byte[] line = new byte[256];
            while (offset < MAX_SCAN) {
                int length = 0;
                int lineBytes = 0;
                int c;
                while ((c = in.read()) >= 0) {
                    lineBytes++;
                    if (c == '\n') {
                        break;
                    }
                    if (length < line.length) {
                        line[length++] = (byte) c;
                    }
                }
                if (lineBytes == 0) {
                    return -1;
                }
                if (isBlank(line, length)) {
                    offset += lineBytes;
                    continue;
                }
                if (isMboxSeparator(line, length)) {
                    return offset + lineBytes;
                }
                boolean bom = length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF;
                return bom ? offset + 3 : offset;
            }
            return offset;
        }
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean isMboxSeparator(byte[] line, int length) {
        int start = length > 0 && line[0] == '>' ? 1 : 0;
        if (length < start + 6) {
            return false;
        }
        String head = new String(line, start, 5, java.nio.charset.StandardCharsets.ISO_8859_1);
        int next = start + 5;
        while (next < length && line[next] == ' ') {
            next++;
        }
        return head.equals("From ") && next < length && line[next] != ':';
    }
}
