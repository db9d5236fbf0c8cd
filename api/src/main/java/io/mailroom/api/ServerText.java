package io.mailroom.api;

/**
 * What a foreign server said, made safe to put into an error message that users see: one line
 * of printable ASCII, at most {@value #MAX_LENGTH} characters. A server greeting, a login
 * refusal or an HTTP error body is the other side's text: unbounded, possibly multi-line, and
 * chosen by whoever runs that server, so extensions pass it through here before quoting it.
 */
public final class ServerText {

    /** The longest excerpt, ellipsis included. */
    public static final int MAX_LENGTH = 200;

    private ServerText() {
    }

    /**
     * The text as one short line: line breaks and tabs become spaces, any other character
     * outside printable ASCII becomes {@code ?}, and text beyond {@value #MAX_LENGTH}
     * characters is cut with {@code ...}. {@code null} becomes the empty string.
     */
    public static String excerpt(String text) {
        if (text == null) {
            return "";
        }
        int end = Math.min(text.length(), MAX_LENGTH);
        boolean cut = text.length() > MAX_LENGTH;
        if (cut) {
            end = MAX_LENGTH - 3;
        }
        StringBuilder line = new StringBuilder(end + 3);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t') {
                line.append(' ');
            } else if (c >= 0x20 && c < 0x7f) {
                line.append(c);
            } else {
                line.append('?');
            }
        }
        if (cut) {
            line.append("...");
        }
        return line.toString().strip();
    }
}
