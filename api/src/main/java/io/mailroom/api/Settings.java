package io.mailroom.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An extension's validated settings, secrets already opened. Every declared setting with a
 * value or a default is present; the host has checked each value's type before the extension
 * sees it, so the typed getters fail only on a programming error (an undeclared name).
 *
 * <p>{@link #toString()} shows {@code ***} for the value of every secret setting (those named in
 * {@code secrets}, and, in case a caller forgot to name them, any whose name contains
 * {@code password}, {@code secret} or {@code token}), so settings can be logged.
 *
 * @param values  the values by setting name
 * @param secrets the names of the settings whose values are secret (declared
 *                {@link SettingDescriptor#secret()})
 */
public record Settings(Map<String, String> values, Set<String> secrets) {

    public Settings {
        values = Map.copyOf(values);
        secrets = Set.copyOf(secrets);
    }

    /** Settings of which none is declared secret (names that look secret are still hidden). */
    public Settings(Map<String, String> values) {
        this(values, Set.of());
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** Settings whose values named in {@code secrets} are hidden from {@link #toString()}. */
    public static Settings of(Map<String, String> values, Set<String> secrets) {
        return new Settings(values, secrets);
    }

    /** Whether the value of {@code name} must never be shown. */
    public boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return secrets.contains(name) || lower.contains("password") || lower.contains("secret")
                || lower.contains("token");
    }

    /** The settings in name order, secret values as {@code ***}. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((name, value) -> shown.put(name, isSecret(name) ? "***" : value));
        return "Settings" + shown;
    }

    /** The value, or empty when the setting has neither value nor default. */
    public Optional<String> find(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value of a setting that must be present. */
    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("setting " + name + " has no value");
        }
        return value;
    }

    public long getLong(String name) {
        return Long.parseLong(get(name));
    }

    public int getInt(String name) {
        return Math.toIntExact(getLong(name));
    }

    public boolean getBoolean(String name) {
        return Boolean.parseBoolean(get(name));
    }

    /** The items of a {@link SettingType#LIST} setting; empty when it has no value. */
    public List<String> getList(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? List.of() : List.of(value.split("\n"));
    }
}
