package io.mailroom.host.network;

/**
 * An error as users see it (a {@code /test} result, a mailbox's {@code last_error}, a poll's
 * error): one line, no control characters, at most {@value #MAX_LENGTH} characters. Plugins
 * already cut what a foreign server said to a short excerpt ({@link io.mailroom.api.ServerText});
 * this is the host's own bound on whatever a plugin, or a library under it, put in a message.
 */
public final class ShownError {

    static final int MAX_LENGTH = 500;

    private ShownError() {
    }

    /** The exception's message, or a plain sentence when it has none (never a class name). */
    public static String of(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? "the connection failed" : text(message);
    }

    /** {@code message} as one bounded line; {@code null} stays {@code null}. */
    public static String text(String message) {
        if (message == null) {
            return null;
        }
        boolean cut = message.length() > MAX_LENGTH;
        int end = cut ? MAX_LENGTH - 3 : message.length();
        StringBuilder line = new StringBuilder(end + 3);
        for (int i = 0; i < end; i++) {
            char c = message.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t') {
                line.append(' ');
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                line.append('?');
            } else {
                line.append(c);
            }
        }
        return cut ? line.append("...").toString() : line.toString();
    }
}
