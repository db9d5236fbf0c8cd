package io.mailroom.host.mime;

import java.util.Locale;
import java.util.Set;

/**
 * Keeps the inline CSS declarations that only format text and tables. Style attributes are how
 * most HTML mail is laid out, so dropping them all makes mail unreadable; but CSS can load remote
 * content ({@code url()}, {@code @import}), run script in old engines ({@code expression()},
 * {@code behavior}) and draw fake UI over the page ({@code position}). Only listed properties are
 * kept, and only values without URLs, escapes or markup.
 */
final class CssFilter {

    private static final Set<String> PROPERTIES = Set.of(
            "color", "background-color", "font", "font-family", "font-size", "font-style", "font-weight",
            "font-variant", "text-align", "text-decoration", "text-indent", "text-transform", "line-height",
            "letter-spacing", "word-spacing", "white-space", "word-break", "word-wrap", "overflow-wrap",
            "vertical-align", "direction", "list-style-type", "display", "width", "height", "max-width",
            "min-width", "max-height", "min-height", "margin", "margin-top", "margin-right", "margin-bottom",
            "margin-left", "padding", "padding-top", "padding-right", "padding-bottom", "padding-left", "border",
            "border-top", "border-right", "border-bottom", "border-left", "border-color", "border-style",
            "border-width", "border-collapse", "border-spacing", "border-radius", "table-layout");

    private CssFilter() {
    }

    static String filter(String style) {
        StringBuilder kept = new StringBuilder();
        for (String declaration : style.split(";")) {
            int colon = declaration.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String property = declaration.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = declaration.substring(colon + 1).strip();
            if (PROPERTIES.contains(property) && isSafeValue(value)) {
                if (!kept.isEmpty()) {
                    kept.append("; ");
                }
                kept.append(property).append(": ").append(value);
            }
        }
        return kept.toString();
    }

    private static boolean isSafeValue(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        return !v.isEmpty() && !v.contains("url") && !v.contains("expression") && !v.contains("script")
                && !v.contains("\\") && !v.contains("@") && !v.contains("<") && !v.contains(">")
                && !v.contains("/*") && !v.contains("&") && !v.contains("(") || isColorFunction(v);
    }

    /** {@code rgb(1,2,3)} and {@code rgba(...)} are the one kind of parentheses layouts need. */
    private static boolean isColorFunction(String v) {
        return v.matches("(?:[a-z0-9#%., -]*)rgba?\\([0-9., %]+\\)(?:[a-z0-9#%., -]*)");
    }
}
