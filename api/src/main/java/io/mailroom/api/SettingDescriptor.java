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
 */
public record SettingDescriptor(String name, SettingType type, boolean required, String defaultValue,
                                boolean secret, List<String> choices, String help) {

    public SettingDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices);
        help = help == null ? "" : help;
        if (type == SettingType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("setting " + name + " is a choice without choices");
        }
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
        return new SettingDescriptor(name, type, required, defaultValue, true, choices, help);
    }
}
