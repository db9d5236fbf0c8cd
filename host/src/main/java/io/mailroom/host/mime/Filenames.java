package io.mailroom.host.mime;

import java.util.Map;

/**
 * An attachment's file name: from Content-Disposition {@code filename} (RFC 2231 or RFC 2047
 * encoded, or raw 8-bit), else Content-Type {@code name}; reduced to its last path segment and to
 * characters that are safe in a download header; generated from the index and type when missing.
 */
final class Filenames {

    private static final int MAX_LENGTH = 255;
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("application/pdf", ".pdf"), Map.entry("image/png", ".png"), Map.entry("image/jpeg", ".jpg"),
            Map.entry("image/gif", ".gif"), Map.entry("image/webp", ".webp"), Map.entry("text/plain", ".txt"),
            Map.entry("text/html", ".html"), Map.entry("text/calendar", ".ics"), Map.entry("text/csv", ".csv"),
            Map.entry("message/rfc822", ".eml"), Map.entry("message/delivery-status", ".txt"),
            Map.entry("text/rfc822-headers", ".txt"), Map.entry("application/zip", ".zip"),
            Map.entry("application/pgp-signature", ".asc"), Map.entry("application/pkcs7-signature", ".p7s"));

    private Filenames() {
    }

    /** The declared name, decoded and made safe, or null when the part declares none. */
    static String declared(HeaderValue disposition, HeaderValue contentType) {
        String name = disposition == null ? null : disposition.param("filename");
        if (name == null || name.isBlank()) {
            name = contentType.param("name");
        }
        if (name == null || name.isBlank()) {
            return null;
        }
        String safe = safe(EncodedWords.decode(name));
        return safe.isEmpty() ? null : safe;
    }

    /** A name for a part that has none: {@code attachment-3.pdf}. */
    static String generated(int index, String contentType) {
        return "attachment-" + (index + 1) + EXTENSIONS.getOrDefault(contentType, ".bin");
    }

    /** The name with an extension added, for attached messages named after their subject. */
    static String fromSubject(String subject) {
        String safe = safe(subject == null ? "" : subject.replace('/', '-').replace('\\', '-'));
        if (safe.isEmpty()) {
            return null;
        }
        return (safe.length() > MAX_LENGTH - 4 ? safe.substring(0, MAX_LENGTH - 4) : safe) + ".eml";
    }

    static String safe(String name) {
        String base = name;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        if (slash >= 0) {
            base = base.substring(slash + 1); // "C:\Users\x\report.pdf", "../../etc/passwd"
        }
        StringBuilder out = new StringBuilder(base.length());
        base.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp != 0x7F && cp != '"' && !(cp >= 0x80 && cp < 0xA0)) {
                out.appendCodePoint(cp);
            }
        });
        String cleaned = out.toString().replaceAll("\\s+", " ").strip();
        int dots = 0;
        while (dots < cleaned.length() && cleaned.charAt(dots) == '.') {
            dots++; // no hidden files, no ".."; counted first, cut once (a loop of cuts was quadratic)
        }
        cleaned = cleaned.substring(dots);
        if (cleaned.length() > MAX_LENGTH) {
            int dot = cleaned.lastIndexOf('.');
            String extension = dot > 0 && cleaned.length() - dot <= 10 ? cleaned.substring(dot) : "";
            cleaned = cleaned.substring(0, MAX_LENGTH - extension.length()) + extension;
        }
        return cleaned;
    }
}
