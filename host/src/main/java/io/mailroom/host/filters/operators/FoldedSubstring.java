package io.mailroom.host.filters.operators;

/**
 * Finds a fixed string in a text, ignoring case, in time linear in the text (Knuth-Morris-Pratt):
 * {@code String.indexOf} can take text length times needle length on hostile input, and a body is
 * long. Case is folded per char (upper then lower, locale-independent), the same on both sides.
 */
final class FoldedSubstring {

    private final char[] needle;
    private final int[] fallback;

    FoldedSubstring(String needle) {
        this.needle = new char[needle.length()];
        for (int i = 0; i < needle.length(); i++) {
            this.needle[i] = fold(needle.charAt(i));
        }
        this.fallback = new int[this.needle.length];
        for (int i = 1, k = 0; i < this.needle.length; i++) {
            while (k > 0 && this.needle[i] != this.needle[k]) {
                k = fallback[k - 1];
            }
            if (this.needle[i] == this.needle[k]) {
                k++;
            }
            fallback[i] = k;
        }
    }

    boolean in(String text) {
        if (needle.length == 0) {
            return true;
        }
        for (int i = 0, k = 0; i < text.length(); i++) {
            char c = fold(text.charAt(i));
            while (k > 0 && c != needle[k]) {
                k = fallback[k - 1];
            }
            if (c == needle[k]) {
                k++;
                if (k == needle.length) {
                    return true;
                }
            }
        }
        return false;
    }

    static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
