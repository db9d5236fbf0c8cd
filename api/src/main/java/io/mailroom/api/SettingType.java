package io.mailroom.api;

/** The value type of a {@link SettingDescriptor}; the host checks values against it. */
public enum SettingType {
    /** Any text. */
    STRING,
    /** A whole number (Java {@code long}). */
    INTEGER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** One of {@link SettingDescriptor#choices()}. */
    CHOICE
}
