package io.mailroom.host.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Base64 decoding that never throws on bad input. Mailers produce line noise, missing or misplaced
 * padding, and several base64 runs glued together; a strict decoder (Angus' unless a JVM-wide
 * property is set) rejects the whole attachment. Here characters outside the alphabet are
 * skipped, {@code =} ends the current quantum, and a partial quantum at the end yields what it can.
 */
final class LenientBase64InputStream extends InputStream {

    private static final int[] VALUES = new int[256];

    static {
        java.util.Arrays.fill(VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = i;
        }
        VALUES['-'] = 62; // the URL-safe alphabet, seen from some web mailers
        VALUES['_'] = 63;
    }

    private final InputStream in;
    private final byte[] inBuffer = new byte[8192];
    private int inPos;
    private int inLimit;
    private final byte[] out = new byte[3];
    private int outPos;
    private int outLimit;
    private boolean eof;

    LenientBase64InputStream(InputStream in) {
        this.in = in;
    }

    /** Decodes a whole string, e.g. the text of an RFC 2047 word. */
    static byte[] decode(String text) {
        try (InputStream decoded = new LenientBase64InputStream(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)))) {
            return decoded.readAllBytes();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public int read() throws IOException {
        if (outPos == outLimit && !fill()) {
            return -1;
        }
        return out[outPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (outPos == outLimit && !fill()) {
                break;
            }
            int chunk = Math.min(len - n, outLimit - outPos);
            System.arraycopy(out, outPos, b, off + n, chunk);
            outPos += chunk;
            n += chunk;
        }
        return n == 0 ? -1 : n;
    }

    /** Decodes the next quantum into {@link #out}; false at the end. */
    private boolean fill() throws IOException {
        int bits = 0;
        int count = 0;
        while (count < 4) {
            int c = nextByte();
            if (c < 0) {
                break;
            }
            if (c == '=') {
                if (count >= 2) {
                    break; // padding closes a partial quantum; garbage "=" before 2 sextets is ignored
                }
                continue;
            }
            int v = VALUES[c];
            if (v >= 0) {
                bits = (bits << 6) | v;
                count++;
            }
        }
        outPos = 0;
        switch (count) {
            case 4 -> {
                out[0] = (byte) (bits >> 16);
                out[1] = (byte) (bits >> 8);
                out[2] = (byte) bits;
                outLimit = 3;
            }
            case 3 -> {
                bits <<= 6;
                out[0] = (byte) (bits >> 16);
                out[1] = (byte) (bits >> 8);
                outLimit = 2;
            }
            case 2 -> {
                bits <<= 12;
                out[0] = (byte) (bits >> 16);
                outLimit = 1;
            }
            default -> outLimit = 0; // a lone sextet carries no whole byte
        }
        return outLimit > 0 || (!eof && fill());
    }

    private int nextByte() throws IOException {
        if (inPos == inLimit) {
            if (eof) {
                return -1;
            }
            inLimit = in.read(inBuffer, 0, inBuffer.length);
            inPos = 0;
            if (inLimit <= 0) {
                inLimit = 0;
                eof = true;
                return -1;
            }
        }
        return inBuffer[inPos++] & 0xFF;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
