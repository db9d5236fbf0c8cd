package io.mailroom.host.messages;

import io.javalin.http.Context;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * How stored mail content leaves the server: always as a download, never as a page. Raw messages
 * and attachments are bytes a stranger wrote; served inline from the API's origin, an HTML or
 * SVG attachment would run its scripts with the reader's session. So every such answer carries
 * {@code Content-Disposition: attachment} with a safe filename (RFC 6266: an ASCII fallback and
 * the UTF-8 name in {@code filename*}), {@code X-Content-Type-Options: nosniff} so a browser
 * keeps to the declared type, and {@code Content-Security-Policy: sandbox} so that even a
 * document opened anyway runs no script and has no origin. Types a browser would render as an
 * active document are declared as {@code application/octet-stream}.
 */
final class Downloads {

    static final String OCTET_STREAM = "application/octet-stream";

    /** Filenames longer than this are cut (the extension is kept): headers have limits too. */
    private static final int MAX_FILENAME = 150;

    /** Active types the rules in {@link #safeType} do not catch by their name. */
    private static final Set<String> ACTIVE = Set.of("text/xsl", "multipart/x-mixed-replace", "text/cache-manifest");

    private Downloads() {
    }

    /** Sets the headers and body of a download; the stream is read as it is sent, and closed. */
    static void send(Context ctx, String contentType, String filename, InputStream content, long size) {
        headers(ctx, contentType, filename, size);
        ctx.result(content);
    }

    /**
     * Sets the headers of a download of {@code size} bytes that the caller then writes to
     * {@link Context#outputStream()}. Not compressed, so the length holds: a client that gets
     * fewer bytes knows the download broke.
     */
    static void headers(Context ctx, String contentType, String filename, long size) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "sandbox");
        ctx.header("Content-Disposition", contentDisposition(filename));
        ctx.disableCompression();
        ctx.header("Content-Length", Long.toString(size));
        ctx.contentType(safeType(contentType));
    }

    /**
     * The media type to declare: the stored one reduced to {@code type/subtype} (parameters, a
     * charset included, say nothing a download needs), or {@code application/octet-stream} when it
     * is malformed or would render as an active document ({@code text/html}, any {@code +xml}
     * like {@code image/svg+xml}, scripts).
     */
    static String safeType(String declared) {
        if (declared == null) {
            return OCTET_STREAM;
        }
        int semicolon = declared.indexOf(';');
        String type = (semicolon < 0 ? declared : declared.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1 || type.indexOf('/', slash + 1) >= 0 || !isToken(type, slash)) {
            return OCTET_STREAM;
        }
        if (ACTIVE.contains(type) || type.endsWith("+xml") || type.endsWith("/xml") || type.contains("html")
                || type.contains("javascript") || type.contains("ecmascript")) {
            return OCTET_STREAM;
        }
        return type;
    }

    /**
     * {@code attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>}: the quoted
     * fallback holds printable ASCII only (anything else, quotes, backslashes and path separators
     * become {@code _}), the extended value every code point (RFC 8187 attr-chars kept, the rest
     * percent-encoded). Control characters and path separators are dropped from both.
     */
    static String contentDisposition(String filename) {
        String name = cleanName(filename);
        StringBuilder ascii = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        StringBuilder encoded = new StringBuilder(name.length() * 3);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isAttrChar(c)) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    /** The name without controls, path parts or leading dots, bounded; "download" when nothing is left. */
    private static String cleanName(String filename) {
        if (filename == null) {
            return "download";
        }
        StringBuilder clean = new StringBuilder(Math.min(filename.length(), MAX_FILENAME * 2));
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c == '/' || c == '\\') {
                clean.setLength(0); // keep the last path segment only
            } else if (!Character.isISOControl(c) && Character.getType(c) != Character.FORMAT) {
                clean.append(c);
            }
        }
        int start = 0;
        while (start < clean.length() && (clean.charAt(start) == '.' || Character.isWhitespace(clean.charAt(start)))) {
            start++;
        }
        String name = clean.substring(start).strip();
        if (name.length() > MAX_FILENAME) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
            int cut = MAX_FILENAME - extension.length();
            if (Character.isHighSurrogate(name.charAt(cut - 1))) {
                cut--;
            }
            name = name.substring(0, cut) + extension;
        }
        return name.isEmpty() ? "download" : name;
    }

    private static boolean isAttrChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$&+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isToken(String type, int slash) {
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$&-^_.+".indexOf(c) >= 0 || i == slash;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
