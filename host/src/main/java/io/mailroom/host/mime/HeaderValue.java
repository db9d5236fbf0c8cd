package io.mailroom.host.mime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A structured header value such as Content-Type or Content-Disposition: its leading token and its
 * parameters. Parsed leniently: unquoted values with spaces, a missing closing quote, a missing
 * {@code ;}, duplicates (the first wins), and RFC 2231 extended parameters
 * ({@code filename*=UTF-8''...}, continuations {@code filename*0*}, {@code filename*1}...), see
 * {@link Rfc2231Parameters}.
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
        return new HeaderValue(value, Rfc2231Parameters.join(raws));
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
