package io.mailroom.host.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes RFC 2047 encoded words the way mail clients do rather than the way the RFC says:
 * words glued to text or to each other without spaces, lower-case {@code q}/{@code b}, spaces
 * inside Q text, a language suffix ({@code utf-8*de}), bad base64, unknown charsets, and a
 * multi-byte character split across two adjacent words (their bytes are joined before decoding).
 */
final class EncodedWords {

    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]{1,64})\\?([bBqQ])\\?([^?]{0,4000}?)\\?=");

    private EncodedWords() {
    }

    /** The text with every encoded word decoded; text without words is returned as it is. */
    static String decode(String text) {
        if (text == null || !text.contains("=?")) {
            return text;
        }
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        String pendingCharset = null;
        int last = 0;
        while (m.find()) {
            String between = text.substring(last, m.start());
            String charset = m.group(1);
            boolean adjacent = pendingCharset != null && between.isBlank();
            if (!adjacent || !pendingCharset.equalsIgnoreCase(charset)) {
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                if (!adjacent) {
                    out.append(between); // whitespace between two encoded words is dropped (RFC 2047 §6.2)
                }
            }
            byte[] bytes = m.group(2).equalsIgnoreCase("b")
                    ? decodeB(m.group(3))
                    : decodeQ(m.group(3));
            pending.writeBytes(bytes);
            pendingCharset = charset;
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(text, last, text.length());
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, String charset) {
        if (charset != null) {
            out.append(CharsetFallback.decode(pending.toByteArray(), charset));
        }
        pending.reset();
    }

    /**
     * The "B" encoding, forgiving: characters outside the alphabet are skipped, the text ends at
     * the first {@code =}, missing padding is fine, and a lone trailing sextet (no whole byte) is dropped.
     */
    static byte[] decodeB(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=') {
                break;
            }
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                clean.append(c);
            }
        }
        if (clean.length() % 4 == 1) {
            clean.setLength(clean.length() - 1);
        }
        return Base64.getDecoder().decode(clean.toString());
    }

    /** The "Q" encoding: {@code _} is a space, {@code =XX} a byte; a broken escape stays literal. */
    static byte[] decodeQ(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c <= 0xFF) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
