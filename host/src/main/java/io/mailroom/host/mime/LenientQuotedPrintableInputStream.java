package io.mailroom.host.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Quoted-printable decoding that keeps malformed escapes as they are ({@code =ZZ}, a lone
 * {@code =}), the way mail clients display them, instead of failing the part.
 */
final class LenientQuotedPrintableInputStream extends InputStream {

    private final PushbackInputStream in;

    LenientQuotedPrintableInputStream(InputStream in) {
        this.in = new PushbackInputStream(new BufferedInputStream(in, 8192), 2);
    }

    @Override
    public int read() throws IOException {
        while (true) {
            int c = in.read();
            if (c != '=') {
                return c;
            }
            int a = in.read();
            if (a == '\n') {
                continue; // soft line break
            }
            if (a == '\r') {
                int b = in.read();
                if (b != '\n' && b >= 0) {
                    in.unread(b);
                }
                continue; // soft line break (also a bare CR)
            }
            if (a == ' ' || a == '\t') {
                // "=  \r\n": a soft break followed by trailing whitespace that a relay added
                int b = in.read();
                while (b == ' ' || b == '\t') {
                    b = in.read();
                }
                if (b == '\r') {
                    int d = in.read();
                    if (d != '\n' && d >= 0) {
                        in.unread(d);
                    }
                    continue;
                }
                if (b == '\n') {
                    continue;
                }
                if (b >= 0) {
                    in.unread(b);
                }
                in.unread(a);
                return '=';
            }
            int high = hex(a);
            if (high < 0) {
                if (a >= 0) {
                    in.unread(a);
                }
                return '=';
            }
            int b = in.read();
            int low = hex(b);
            if (low < 0) {
                if (b >= 0) {
                    in.unread(b);
                }
                in.unread(a);
                return '=';
            }
            return (high << 4) | low;
        }
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
            if (in.available() <= 0 && n > 0) {
                break;
            }
        }
        return n == 0 ? -1 : n;
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
