package io.mailroom.host.mime;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Messages from old Mac mailers and some scripts end lines with a bare CR. mime4j breaks lines at
 * LF only, so such a message was one long header line: its From held the whole message and it
 * had no subject or body. A message whose first line ends with a bare CR is read with every bare
 * CR as CRLF (one pass, byte by byte, over a buffered stream); the raw message is stored as it came.
 */
final class CrOnlyLineEnds {

    /** Past this many bytes without a line break the first line says nothing about line ends. */
    private static final int MAX_FIRST_LINE = 64 * 1024;

    private CrOnlyLineEnds() {
    }

    /** True when the first line break of {@code message} is a CR not followed by LF. */
    static boolean used(InputStream message) throws IOException {
        try (InputStream in = new BufferedInputStream(message)) {
            for (int i = 0; i < MAX_FIRST_LINE; i++) {
                int c = in.read();
                if (c < 0 || c == '\n') {
                    return false;
                }
                if (c == '\r') {
                    return in.read() != '\n';
                }
            }
            return false;
        }
    }

    /** {@code in} with every CR that is not followed by LF turned into CRLF. */
    static InputStream asCrLf(InputStream in) {
        return new FilterInputStream(new BufferedInputStream(in)) {
            private boolean lfOwed;
            private int held = -2; // a byte read after a CR, not yet given out; -2 none

            @Override
            public int read() throws IOException {
                if (lfOwed) {
                    lfOwed = false;
                    return '\n';
                }
                int c = held != -2 ? held : in.read();
                held = -2;
                if (c == '\r') {
                    int next = in.read();
                    lfOwed = next != '\n';
                    held = next; // the LF itself, or the byte after the bare CR (-1 at the end)
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = 0;
                while (n < len) {
                    int c = read();
                    if (c < 0) {
                        break;
                    }
                    b[off + n++] = (byte) c;
                }
                return n == 0 ? -1 : n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = 0;
                while (skipped < n && read() >= 0) {
                    skipped++;
                }
                return skipped;
            }

            @Override
            public int available() {
                return 0;
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }
}
