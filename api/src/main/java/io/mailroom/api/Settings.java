package io.mailroom.api;

import java.util.Map;
import java.util.Optional;

/**
 * An extension's validated settings, secrets already opened. Every declared setting with a
 * value or a default is present; the host has checked each value's type before the extension
 * sees it, so the typed getters fail only on a programming error (an undeclared name).
 */
public record Settings(Map<String, String> values) {

    public Settings {
        values = Map.copyOf(values);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
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
}
