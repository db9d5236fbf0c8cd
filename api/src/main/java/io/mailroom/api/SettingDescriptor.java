package io.mailroom.api;

import java.util.List;
import java.util.Objects;

/**
 * One setting an extension accepts. The host validates values against it, seals secret ones
 * and never returns them, and the admin pages render a form field from it.
 *
 * @param name         the key in the settings object, snake_case ({@code port})
 * @param type         the value type
 * @param required     whether a value must be given (a default counts as given)
 * @param defaultValue the value used when none is given, or {@code null}
 * @param secret       write-only: sealed at rest and never shown (passwords, client secrets)
 * @param choices      the allowed values of a {@link SettingType#CHOICE}, empty otherwise
 * @param help         one sentence for the admin
 * @param min          the smallest value of an {@link SettingType#INTEGER}; {@link Long#MIN_VALUE}
 *                     when it has no lower bound (and for the other types)
 * @param max          the largest value of an {@link SettingType#INTEGER}; {@link Long#MAX_VALUE}
 *                     when it has no upper bound (and for the other types)
 */
public record SettingDescriptor(String name, SettingType type, boolean required, String defaultValue,
                                boolean secret, List<String> choices, String help, long min, long max) {

    public SettingDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices);
        help = help == null ? "" : help;
        if (type == SettingType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("setting " + name + " is a choice without choices");
        }
        if (min > max) {
            throw new IllegalArgumentException("setting " + name + " has min " + min + " above max " + max);
        }
        if (type != SettingType.INTEGER && (min != Long.MIN_VALUE || max != Long.MAX_VALUE)) {
            throw new IllegalArgumentException("setting " + name + " has bounds but is not an INTEGER");
        }
        if (defaultValue != null && (min != Long.MIN_VALUE || max != Long.MAX_VALUE)) {
            long value;
            try {
                value = Long.parseLong(defaultValue);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + name + " has a default that is not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("setting " + name + " has a default outside " + min + ".." + max);
            }
        }
    }

    /** A setting without bounds: the form of this record before {@code min} and {@code max} were added. */
    public SettingDescriptor(String name, SettingType type, boolean required, String defaultValue,
                             boolean secret, List<String> choices, String help) {
        this(name, type, required, defaultValue, secret, choices, help, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An optional {@link SettingType#INTEGER} from {@code min} to {@code max}, defaulting to {@code defaultValue}. */
    public static SettingDescriptor integer(String name, long defaultValue, long min, long max, String help) {
        return new SettingDescriptor(name, SettingType.INTEGER, false, Long.toString(defaultValue), false, List.of(),
                help, min, max);
    }

    /** This {@link SettingType#INTEGER} setting, accepting only values from {@code min} to {@code max}. */
    public SettingDescriptor withRange(long min, long max) {
        return new SettingDescriptor(name, type, required, defaultValue, secret, choices, help, min, max);
    }

    /** Whether a lower or upper bound is declared. */
    public boolean bounded() {
        return min != Long.MIN_VALUE || max != Long.MAX_VALUE;
    }

    /** A setting that must be given. */
    public static SettingDescriptor required(String name, SettingType type, String help) {
        return new SettingDescriptor(name, type, true, null, false, List.of(), help);
    }

    /** A setting that may be left out; {@code defaultValue} may be {@code null}. */
    public static SettingDescriptor optional(String name, SettingType type, String defaultValue, String help) {
        return new SettingDescriptor(name, type, false, defaultValue, false, List.of(), help);
    }

    /** A choice among {@code choices}, defaulting to {@code defaultValue}. */
    public static SettingDescriptor choice(String name, String defaultValue, List<String> choices, String help) {
        return new SettingDescriptor(name, SettingType.CHOICE, defaultValue == null, defaultValue, false, choices, help);
    }

    /** This setting, made write-only and sealed at rest. */
    public SettingDescriptor asSecret() {
        return new SettingDescriptor(name, type, required, defaultValue, true, choices, help, min, max);
    }
}
