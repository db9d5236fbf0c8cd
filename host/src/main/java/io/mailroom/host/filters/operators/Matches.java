package io.mailroom.host.filters.operators;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.Set;

/**
 * {@code matches}: a regular expression (RE2 syntax) found anywhere in some value; case-sensitive
 * unless the pattern says {@code (?i)}. RE2/J runs in time linear in the value whatever the
 * pattern (no backreferences, no lookaround), so a hostile pattern cannot hang a sync.
 */
public final class Matches implements FilterOperator {

    /** Keeps the compiled program small: RE2 expands counted repetition ({@code a{1000}}). */
    static final int MAX_REPEAT = 100;

    @Override
    public String id() {
        return "matches";
    }

    @Override
    public Set<FieldType> types() {
        return Set.of(FieldType.TEXT, FieldType.ADDRESS, FieldType.LIST);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        String regex = Operands.text(operand);
        requireSmallRepeats(regex);
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("value is not a regular expression (RE2 syntax): " + e.getDescription());
        }
        return values -> values.stream().anyMatch(value -> value instanceof String text && pattern.matcher(text).find());
    }

    /** Refuses counted repetitions over {@link #MAX_REPEAT}, and more than one nested in another. */
    private static void requireSmallRepeats(String regex) {
        int counted = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{' && i + 1 < regex.length() && Character.isDigit(regex.charAt(i + 1))) {
                int end = regex.indexOf('}', i);
                if (end < 0) {
                    continue;
                }
                for (String bound : regex.substring(i + 1, end).split(",", -1)) {
                    if (!bound.isEmpty() && bound.chars().allMatch(Character::isDigit)
                            && (bound.length() > 3 || Integer.parseInt(bound) > MAX_REPEAT)) {
                        throw new IllegalArgumentException("value repeats more than " + MAX_REPEAT + " times ({n} up to "
                                + MAX_REPEAT + ")");
                    }
                }
                counted++;
                i = end;
            }
        }
        if (counted > 4) {
            throw new IllegalArgumentException("value has more than 4 counted repetitions ({n})");
        }
    }
}
