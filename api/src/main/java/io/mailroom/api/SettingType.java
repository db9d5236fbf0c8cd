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
    CHOICE,
    /**
     * A list of strings (addresses, tags): a JSON array of strings, at most 100, none empty or with a
     * line break; in {@link Settings} the items joined by {@code \n}, read with {@link Settings#getList}.
     */
    LIST
}
