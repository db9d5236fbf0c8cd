package io.mailroom.host.mime;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The header section of a message or body part, as mime4j read it, one char per byte (mime4j's
 * own {@code RawField#getBody} decodes 8-bit bytes as US-ASCII and loses them). Keeping the bytes
 * lets each value be re-read as UTF-8 or as the message's charset, see
 * {@link CharsetFallback#redecode8bit}.
 */
final class RawHeaders {

    /** A field name: printable US-ASCII except colon (RFC 5322 §2.2). */
    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]{1,128}");
    private static final Pattern LINE_BREAKS = Pattern.compile("\r\n|\r|\n");

    private final List<String[]> fields; // {lower-case name, raw value}
    private final int invalidLines;
    private Charset hint;

    private RawHeaders(List<String[]> fields, int invalidLines) {
        this.fields = fields;
        this.invalidLines = invalidLines;
    }

    /**
     * @param headerLines  raw fields, folding line breaks kept, one char per byte
     * @param invalidLines lines the reader already dropped as not being a field
     */
    static RawHeaders of(List<String> headerLines, int invalidLines) {
        List<String[]> fields = new ArrayList<>();
        int invalid = invalidLines;
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            if (!FIELD_NAME.matcher(name).matches()) {
                invalid++;
                continue;
            }
            fields.add(new String[] {name.toLowerCase(Locale.ROOT), line.substring(colon + 1)});
        }
        return new RawHeaders(fields, invalid);
    }

    /** Sets the charset that raw 8-bit values fall back to when they are not UTF-8. */
    RawHeaders withCharsetHint(Charset charset) {
        this.hint = charset;
        return this;
    }

    /** True when this looks like a header section at all: some fields, and fewer broken lines than fields. */
    boolean looksLikeHeaders() {
        return !fields.isEmpty() && invalidLines <= fields.size();
    }

    boolean isEmpty() {
        return fields.isEmpty();
    }

    /** The first value of a field, unfolded and with 8-bit bytes re-decoded but not RFC 2047-decoded; null when absent. */
    String first(String name) {
        for (String[] field : fields) {
            if (field[0].equals(name)) {
                return clean(field[1]);
            }
        }
        return null;
    }

    /** Every value of a field, in order, like {@link #first}. */
    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (String[] field : fields) {
            if (field[0].equals(name)) {
                values.add(clean(field[1]));
            }
        }
        return values;
    }

    /**
     * Every field by lower-case name, values decoded (RFC 2047) and in order. Values longer than
     * {@code maxValueChars} and fields past {@code maxFields} are left out: they are kept in the raw
     * message, and a 1 MB header line should not become a database row.
     */
    Map<String, List<String>> decoded(int maxValueChars, int maxFields) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        int count = 0;
        for (String[] field : fields) {
            if (field[1].length() > maxValueChars) {
                continue;
            }
            if (++count > maxFields) {
                break;
            }
            String value = withoutControls(EncodedWords.decode(clean(field[1])));
            map.computeIfAbsent(field[0], k -> new ArrayList<>()).add(value);
        }
        map.replaceAll((name, values) -> List.copyOf(values));
        return map;
    }

    private String clean(String raw) {
        String unfolded = LINE_BREAKS.matcher(raw).replaceAll("");
        return CharsetFallback.redecode8bit(unfolded, hint).strip();
    }

    /** Tabs become spaces; other control characters go: they only ever come from broken mail. */
    static String withoutControls(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || c == 0x7F;
            if (control && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (out != null) {
                if (c == '\t') {
                    out.append(' ');
                } else if (!control) {
                    out.append(c);
                }
            }
        }
        return out == null ? value : out.toString();
    }
}
