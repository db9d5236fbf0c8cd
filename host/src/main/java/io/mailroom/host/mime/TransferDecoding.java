package io.mailroom.host.mime;

import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Undoes a Content-Transfer-Encoding, leniently. Unknown or misspelt encodings ("8bits",
 * "x-binary") are read as they are, which is what a human would see in a mail client.
 */
final class TransferDecoding {

    private TransferDecoding() {
    }

    static InputStream decode(InputStream raw, String contentTransferEncoding) {
        return switch (normalize(contentTransferEncoding)) {
            // mime4j's decoders, told to be silent: bad characters are skipped, bad escapes kept as written.
            case "base64" -> new Base64InputStream(raw, DecodeMonitor.SILENT);
            case "quoted-printable" -> new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
            // mime4j has no uudecoder; old mailers still send it
            case "uuencode", "x-uuencode", "x-uue" -> new UudecodeInputStream(raw);
            default -> raw;
        };
    }

    /** True when the body is not what is on the wire, so a multipart must be decoded before splitting. */
    static boolean isIdentity(String contentTransferEncoding) {
        String e = normalize(contentTransferEncoding);
        return !(e.equals("base64") || e.equals("quoted-printable") || e.startsWith("uu") || e.startsWith("x-uu"));
    }

    static String normalize(String contentTransferEncoding) {
        if (contentTransferEncoding == null) {
            return "";
        }
        String e = contentTransferEncoding.trim().replace("\"", "").toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < e.length() && (Character.isLetterOrDigit(e.charAt(end)) || e.charAt(end) == '-')) {
            end++;
        }
        return e.substring(0, end);
    }

    /**
     * Decodes uuencoded lines ({@code begin}, length-prefixed lines, {@code end}) one line at a time.
     * Lines before {@code begin} are skipped; a broken line gives what it holds.
     */
    static final class UudecodeInputStream extends InputStream {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private byte[] decoded = new byte[0];
        private int position;
        private boolean begun;
        private boolean ended;

        UudecodeInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            while (position >= decoded.length) {
                if (ended || !nextLine()) {
                    return -1;
                }
            }
            return decoded[position++] & 0xFF;
        }

        private boolean nextLine() throws IOException {
            line.reset();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    line.write(c);
                }
            }
            if (c < 0 && line.size() == 0) {
                return false;
            }
            byte[] bytes = line.toByteArray();
            position = 0;
            decoded = new byte[0];
            if (!begun) {
                begun = bytes.length >= 6 && new String(bytes, 0, 6, java.nio.charset.StandardCharsets.US_ASCII).equals("begin ");
                return true;
            }
            if (bytes.length == 0) {
                return true;
            }
            int length = (bytes[0] - ' ') & 0x3F;
            if (length == 0 || (bytes.length >= 3 && bytes[0] == 'e' && bytes[1] == 'n' && bytes[2] == 'd')) {
                ended = true;
                return true;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(length);
            for (int i = 1; i + 3 < bytes.length + 3 && out.size() < length; i += 4) {
                int a = sextet(bytes, i), b = sextet(bytes, i + 1), c2 = sextet(bytes, i + 2), d = sextet(bytes, i + 3);
                out.write((a << 2) | (b >> 4));
                if (out.size() < length) {
                    out.write(((b & 0xF) << 4) | (c2 >> 2));
                }
                if (out.size() < length) {
                    out.write(((c2 & 0x3) << 6) | d);
                }
            }
            decoded = out.toByteArray();
            return true;
        }

        private static int sextet(byte[] bytes, int i) {
            return i < bytes.length ? (bytes[i] - ' ') & 0x3F : 0;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
