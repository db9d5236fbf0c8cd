package io.mailroom.api.message;

import java.util.Locale;
import java.util.Objects;

/** A mailbox address: display name (may be empty) and the address, lower-cased. */
public record Address(String name, String email) {

    public Address {
        Objects.requireNonNull(email, "email");
        name = name == null ? "" : name;
        email = email.toLowerCase(Locale.ROOT);
    }

    /** The part after the {@code @}, or empty. */
    public String domain() {
        int at = email.lastIndexOf('@');
        return at < 0 ? "" : email.substring(at + 1);
    }
}
