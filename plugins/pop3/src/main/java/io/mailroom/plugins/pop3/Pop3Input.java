package io.mailroom.plugins.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * The server's side of a POP3 connection: status lines, and multi-line responses copied out
 * with their byte-stuffing removed. It has its own buffer and copies runs of bytes, so a 25 MB
 * RETR streams through in 64 KB steps and never lands in memory as a whole.
 */
final class Pop3Input {

    /** RFC 2449 allows 512 octets per response line; servers exceed it, but not by this much. */
    private static final int MAX_STATUS_LINE = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;

    Pop3Input(InputStream in) {
        this.in = in;
    }

    /** A status line ({@code +OK …}, {@code -ERR …}, {@code + …}) without its line end. */
    String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            fill(1);
            int end = indexOfLineFeed(position, limit);
            int stop = end < 0 ? limit : end;
            String part = new String(buffer, position, stop - position, StandardCharsets.UTF_8);
            line = line == null ? new StringBuilder(part) : line.append(part);
            position = end < 0 ? limit : end + 1;
            if (end >= 0) {
                int length = line.length();
                return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
            }
            if (line.length() > MAX_STATUS_LINE) {
                throw new ProtocolException("the server sent a response line longer than " + MAX_STATUS_LINE + " bytes");
            }
        }
    }

    /**
     * Copies the body of a multi-line response to {@code out} up to its terminating
     * {@code CRLF.CRLF}, removing the dot that stuffs lines starting with a dot. The bytes are
     * otherwise exactly the server's.
     */
    void copyMultiline(OutputStream out) throws IOException {
        boolean lineStart = true;
        while (true) {
            fill(1);
            if (lineStart && buffer[position] == '.') {
                fill(2);
                byte next = buffer[position + 1];
                if (next == '\n') {
                    position += 2;
                    return;
                }
                if (next == '\r') {
                    fill(3);
                    if (buffer[position + 2] == '\n') {
                        position += 3;
                        return;
                    }
                }
                position++;
            }
            int end = indexOfLineFeed(position, limit);
            int stop = end < 0 ? limit : end + 1;
            out.write(buffer, position, stop - position);
            position = stop;
            lineStart = end >= 0;
        }
    }

    private int indexOfLineFeed(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Makes at least {@code wanted} unread bytes available, or fails at the end of the stream. */
    private void fill(int wanted) throws IOException {
        if (limit - position >= wanted) {
            return;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (limit < wanted) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                throw new EOFException("the server closed the connection in the middle of a response");
            }
            limit += read;
        }
    }
}
