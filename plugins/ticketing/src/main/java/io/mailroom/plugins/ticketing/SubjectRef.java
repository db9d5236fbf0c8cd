package io.mailroom.plugins.ticketing;

import java.util.Optional;

/**
 * The {@code [TCK-91]} token in a subject: found by one left-to-right pass over a bounded prefix
 * of the subject (no regular expression), so a hostile subject costs at most
 * {@value #SCAN_LIMIT} characters times the prefix length.
 */
final class SubjectRef {

    /** Subjects are short; a reference past this point is not looked for. */
    static final int SCAN_LIMIT = 1000;
    private static final int MAX_DIGITS = 18;

    private SubjectRef() {
    }

    /** The first {@code [<prefix>-<n>]} in the subject, as {@code <prefix>-<n>} with the prefix as configured. */
    static Optional<String> find(String subject, String prefix) {
        if (subject == null) {
            return Optional.empty();
        }
        int end = Math.min(subject.length(), SCAN_LIMIT);
        for (int open = subject.indexOf('['); open >= 0 && open < end; open = subject.indexOf('[', open + 1)) {
            int at = open + 1;
            if (at + prefix.length() + 2 > end || !subject.regionMatches(true, at, prefix, 0, prefix.length())) {
                continue;
            }
            at += prefix.length();
            if (subject.charAt(at) != '-') {
                continue;
            }
            int digitsStart = ++at;
            while (at < end && at - digitsStart < MAX_DIGITS && Character.isDigit(subject.charAt(at))
                    && subject.charAt(at) < 128) {
                at++;
            }
            if (at > digitsStart && at < end && subject.charAt(at) == ']') {
                return Optional.of(prefix + "-" + Long.parseLong(subject.substring(digitsStart, at)));
            }
        }
        return Optional.empty();
    }

    /** The subject with {@code [ref]} in front, unless it already carries it. */
    static String ensure(String subject, String ref) {
        String base = subject == null ? "" : subject.strip();
        if (base.contains("[" + ref + "]")) {
            return base;
        }
        return base.isEmpty() ? "[" + ref + "]" : "[" + ref + "] " + base;
    }
}
