package io.mailroom.host.outbound;

import io.mailroom.host.errors.ApiException;

/**
 * Header values from callers: CR, LF and NUL are refused outright rather than cleaned, since a
 * line break in a subject or name is how a caller would smuggle in a Bcc or a second message.
 */
final class HeaderText {

    private HeaderText() {
    }

    static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                return true;
            }
        }
        return false;
    }

    /** The value, or a 400 naming {@code path} when it holds CR, LF or NUL. */
    static String require(String value, String path) {
        if (value != null && hasControl(value)) {
            throw ApiException.invalid(path, "must not contain CR, LF or NUL");
        }
        return value;
    }
}
