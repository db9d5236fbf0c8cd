package io.mailroom.host.filters.operators;

import java.util.ArrayList;
import java.util.List;

/** How the built-in operators read their operands; each failure is a sentence for the admin. */
final class Operands {

    static final int MAX_TEXT = 1000;
    static final int MAX_ITEMS = 1000;

    private Operands() {
    }

    static String text(Object operand) {
        if (!(operand instanceof String text) || text.isEmpty()) {
            throw new IllegalArgumentException("value must be a non-empty string");
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("value is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }

    static long number(Object operand) {
        if (operand instanceof Integer || operand instanceof Long || operand instanceof Short) {
            return ((Number) operand).longValue();
        }
        if (operand instanceof java.math.BigInteger) {
            throw new IllegalArgumentException("value is too large a number");
        }
        throw new IllegalArgumentException("value must be a whole number");
    }

    static boolean bool(Object operand) {
        if (operand instanceof Boolean value) {
            return value;
        }
        throw new IllegalArgumentException("value must be true or false");
    }

    /** A non-empty list of at most {@link #MAX_ITEMS} elements. */
    static List<?> list(Object operand) {
        if (!(operand instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("value must be a non-empty list");
        }
        if (list.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("value has more than " + MAX_ITEMS + " items");
        }
        return list;
    }

    static List<String> texts(Object operand) {
        List<String> texts = new ArrayList<>();
        for (Object item : list(operand)) {
            try {
                texts.add(text(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("value must be a list of non-empty strings of at most "
                        + MAX_TEXT + " characters");
            }
        }
        return texts;
    }

    /** Case folding for the case-insensitive operators: the same on both sides, locale-independent. */
    static String fold(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = FoldedSubstring.fold(chars[i]);
        }
        return new String(chars);
    }

    /** An instant ({@code 2026-01-31T12:00:00Z}) or a day ({@code 2026-01-31}, its start in UTC). */
    static java.time.Instant instant(Object operand) {
        String text = operand instanceof String s && s.length() <= 40 ? s.strip() : "";
        try {
            return text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("value must be a date such as 2026-01-31 or 2026-01-31T12:00:00Z");
        }
    }
}
