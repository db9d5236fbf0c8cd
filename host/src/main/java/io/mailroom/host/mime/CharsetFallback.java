package io.mailroom.host.mime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Turns bytes into text when the declared charset cannot be trusted. Mail declares charsets Java
 * does not know ({@code x-unknown}, {@code ks_c_5601-1987}), wrong ones (8-bit bytes labelled
 * us-ascii, UTF-8 labelled iso-8859-1), or none. Losing a message is worse than an odd character,
 * so decoding never fails: the declared charset, strictly; else UTF-8 when the bytes are valid
 * UTF-8; else windows-1252, which maps every byte.
 */
final class CharsetFallback {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** MIME names that Java lacks or that mail uses for a superset; null means "no information". */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("utf8", "UTF-8"), Map.entry("unicode-1-1-utf-8", "UTF-8"),
            Map.entry("iso-8859-1", "windows-1252"), Map.entry("iso8859-1", "windows-1252"),
            Map.entry("iso_8859-1", "windows-1252"), Map.entry("latin1", "windows-1252"),
            Map.entry("latin-1", "windows-1252"), Map.entry("l1", "windows-1252"),
            Map.entry("ks_c_5601-1987", "x-windows-949"), Map.entry("ks_c_5601", "x-windows-949"),
            Map.entry("ksc5601", "x-windows-949"), Map.entry("euc-kr", "x-windows-949"),
            Map.entry("gb2312", "GB18030"), Map.entry("gbk", "GB18030"), Map.entry("x-gbk", "GB18030"),
            Map.entry("shift-jis", "windows-31j"), Map.entry("shift_jis", "windows-31j"),
            Map.entry("sjis", "windows-31j"), Map.entry("x-sjis", "windows-31j"),
            Map.entry("iso-8859-8-i", "ISO-8859-8"), Map.entry("cp-850", "IBM850"),
            Map.entry("windows-874", "x-windows-874"), Map.entry("macintosh", "x-MacRoman"),
            Map.entry("x-mac-roman", "x-MacRoman"));

    private static final java.util.Set<String> MEANINGLESS = java.util.Set.of(
            "x-unknown", "unknown", "unknown-8bit", "x-user-defined", "default", "8bit", "none",
            "charset", "us", "binary");

    private CharsetFallback() {
    }

    /** The Java charset for a MIME charset name, or null when it is unknown or says nothing. */
    static Charset lookup(String mimeName) {
        if (mimeName == null) {
            return null;
        }
        String name = mimeName.trim().replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT);
        int star = name.indexOf('*'); // RFC 2231 language suffix: utf-8*en
        if (star >= 0) {
            name = name.substring(0, star);
        }
        int end = 0;
        while (end < name.length() && isCharsetNameChar(name.charAt(end))) {
            end++;
        }
        name = name.substring(0, end);
        if (name.isEmpty() || MEANINGLESS.contains(name)) {
            return null;
        }
        String javaName = ALIASES.getOrDefault(name, name);
        try {
            return Charset.forName(javaName);
        } catch (IllegalArgumentException unsupportedOrIllegal) {
            return null;
        }
    }

    /** Decodes with the fallbacks described on the class; never fails; NUL characters are dropped. */
    static String decode(byte[] bytes, String declaredCharset) {
        return decode(bytes, 0, bytes.length, lookup(declaredCharset));
    }

    static String decode(byte[] bytes, int offset, int length, Charset declared) {
        boolean asciiCompatible = declared == null || isAsciiCompatible(declared);
        if (asciiCompatible && isAscii(bytes, offset, length)) {
            return withoutNul(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
        }
        boolean utf8 = isValidUtf8(bytes, offset, length);
        if (declared != null) {
            // UTF-8 under a single-byte label is a common mislabel; the reverse is almost never valid UTF-8.
            if (utf8 && isSingleByte(declared)) {
                return withoutNul(new String(bytes, offset, length, StandardCharsets.UTF_8));
            }
            String strict = strictDecode(bytes, offset, length, declared);
            if (strict != null) {
                return withoutNul(strict);
            }
        }
        Charset fallback = utf8 ? StandardCharsets.UTF_8 : WINDOWS_1252;
        return withoutNul(new String(bytes, offset, length, fallback));
    }

    /**
     * Re-reads a header value read one char per byte (ISO-8859-1): raw UTF-8 when the
     * bytes are valid UTF-8, else the hint (the message's charset), else windows-1252.
     */
    static String redecode8bit(String latin1, Charset hint) {
        boolean eightBit = false;
        for (int i = 0; i < latin1.length(); i++) {
            char c = latin1.charAt(i);
            if (c > 0xFF) {
                return withoutNul(latin1); // not a byte string: leave it
            }
            eightBit |= c >= 0x80;
        }
        if (!eightBit) {
            return withoutNul(latin1);
        }
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        return decode(bytes, 0, bytes.length, hint);
    }

    static boolean isValidUtf8(byte[] bytes, int offset, int length) {
        return strictDecode(bytes, offset, length, StandardCharsets.UTF_8) != null;
    }

    static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static String strictDecode(byte[] bytes, int offset, int length, Charset charset) {
        try {
            CharBuffer chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            String text = chars.toString();
            return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
        } catch (CharacterCodingException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isAsciiCompatible(Charset charset) {
        String name = charset.name().toUpperCase(Locale.ROOT);
        return !(name.startsWith("UTF-16") || name.startsWith("UTF-32") || name.startsWith("X-UTF-32")
                || name.startsWith("ISO-2022") || name.contains("EBCDIC") || name.startsWith("IBM0")
                || name.startsWith("IBM-Thai") || name.equals("IBM037"));
    }

    private static boolean isSingleByte(Charset charset) {
        try {
            return charset.canEncode() && charset.newEncoder().maxBytesPerChar() == 1.0f
                    && !charset.equals(StandardCharsets.UTF_8);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean isCharsetNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
                || c == ':' || c == '+';
    }

    /** PostgreSQL text columns refuse NUL, and no mail means one. */
    static String withoutNul(String text) {
        return text.indexOf('\0') < 0 ? text : text.replace("\0", "");
    }
}
