package io.mailroom.host.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** What a user may do: a superadmin everything, a user only their own objects. */
public enum Role {
    SUPERADMIN, USER;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role with this id, or null when there is none. */
    @JsonCreator
    public static Role fromId(String id) {
        return Arrays.stream(values()).filter(role -> role.id().equals(id)).findFirst().orElse(null);
    }
}
