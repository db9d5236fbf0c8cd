package io.mailroom.host.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 2231 extended parameters: {@code filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt} and continuations
 * ({@code filename*0*=...; filename*1=...}), how Outlook, Thunderbird and Apple Mail send
 * non-ASCII file names. Segments are joined in index order, percent-decoded, and decoded in the
 * declared charset with {@link CharsetFallback}; an extended value wins over a plain one.
 */
final class Rfc2231Parameters {

    private Rfc2231Parameters() {
    }

    /** Merges RFC 2231 parameters (name*, name*0, name*0*, name*1...) into plain names. */
    static Map<String, String> join(Map<String, String> raws) {
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
}
