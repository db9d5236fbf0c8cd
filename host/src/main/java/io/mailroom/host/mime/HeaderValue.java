package io.mailroom.host.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A structured header value such as Content-Type or Content-Disposition: its leading token and its
 * parameters. Parsed leniently: unquoted values with spaces, a missing closing quote, a missing
 * {@code ;}, duplicates (the first wins), and RFC 2231 extended parameters
 * ({@code filename*=UTF-8''...}, continuations {@code filename*0*}, {@code filename*1}...), whose
 * charset is decoded with {@link CharsetFallback}.
 *
 * @param value  the leading token, lower-cased, e.g. {@code text/plain} or {@code attachment}
 * @param params parameter names lower-cased; values as written (RFC 2231 already joined and decoded)
 */
record HeaderValue(String value, Map<String, String> params) {

    HeaderValue {
        params = Map.copyOf(params);
    }

    String param(String name) {
        return params.get(name);
    }

    /** Parses an unfolded header value; null or blank input gives an empty value without parameters. */
    static HeaderValue parse(String raw) {
        if (raw == null) {
            return new HeaderValue("", Map.of());
        }
        String s = stripComments(raw);
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < n && s.charAt(i) != ';' && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        String value = s.substring(start, i).replace("\"", "").toLowerCase(Locale.ROOT);
        Map<String, String> raws = new LinkedHashMap<>();
        while (i < n) {
            while (i < n && (s.charAt(i) == ';' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ';') {
                i++;
            }
            if (i >= n || s.charAt(i) == ';') {
                continue; // a token without "=": ignore it
            }
            String name = s.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
            i++; // '='
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    char c = s.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        c = s.charAt(++i);
                    }
                    v.append(c);
                    i++;
                }
                i++; // closing quote, if any
                while (i < n && s.charAt(i) != ';') {
                    i++; // junk after the quoted string
                }
            } else {
                while (i < n && s.charAt(i) != ';') {
                    v.append(s.charAt(i++));
                }
            }
            if (!name.isEmpty()) {
                raws.putIfAbsent(name, v.toString().trim());
            }
        }
        return new HeaderValue(value, joinExtended(raws));
    }

    /** Merges RFC 2231 parameters (name*, name*0, name*0*, name*1...) into plain names. */
    private static Map<String, String> joinExtended(Map<String, String> raws) {
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String[]>> extended = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raws.entrySet()) {
            String name = e.getKey();
            int star = name.indexOf('*');
            if (star < 0) {
                plain.putIfAbsent(name, e.getValue());
                continue;
            }
            String base = name.substring(0, star);
            String rest = name.substring(star + 1);
            boolean encoded = rest.endsWith("*") || rest.isEmpty();
            String digits = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
            int index;
            try {
                index = digits.isEmpty() ? 0 : Integer.parseInt(digits.trim());
            } catch (NumberFormatException notAnIndex) {
                continue;
            }
            extended.computeIfAbsent(base, k -> new TreeMap<>())
                    .putIfAbsent(index, new String[] {e.getValue(), encoded ? "*" : ""});
        }
        Map<String, String> result = new LinkedHashMap<>(plain);
        extended.forEach((base, segments) -> result.put(base, decodeSegments(segments)));
        return result;
    }

    private static String decodeSegments(TreeMap<Integer, String[]> segments) {
        String charset = null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (String[] segment : segments.values()) {
            String text = segment[0];
            boolean encoded = !segment[1].isEmpty();
            if (first && encoded) {
                List<String> parts = splitCharsetAndLanguage(text);
                if (parts != null) {
                    charset = parts.get(0);
                    text = parts.get(1);
                }
            }
            first = false;
            bytes.writeBytes(encoded ? percentDecode(text)
                    : text.getBytes(charset == null ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        }
        return CharsetFallback.decode(bytes.toByteArray(), charset);
    }

    /** {@code UTF-8'en'text} → [UTF-8, text]; null when there are no two quotes. */
    private static List<String> splitCharsetAndLanguage(String text) {
        int q1 = text.indexOf('\'');
        int q2 = q1 < 0 ? -1 : text.indexOf('\'', q1 + 1);
        if (q2 < 0) {
            return null;
        }
        List<String> parts = new ArrayList<>(2);
        parts.add(text.substring(0, q1));
        parts.add(text.substring(q2 + 1));
        return parts;
    }

    private static byte[] percentDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
                    && Character.digit(text.charAt(i + 2), 16) >= 0) {
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

    /** Drops RFC 5322 comments outside quoted strings: {@code text/plain (body)}. */
    private static String stripComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                out.append(c);
                if (c == '\\' && i + 1 < s.length()) {
                    out.append(s.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (depth > 0) {
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            } else if (c == '(') {
                depth++;
            } else {
                out.append(c);
                quoted = c == '"';
            }
        }
        return depth == 0 ? out.toString() : s; // an unclosed "(" is more likely part of a value
    }
}
