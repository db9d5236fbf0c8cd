package io.mailroom.host.auth;

import java.util.List;

/**
 * A person (or application) that uses the API.
 *
 * @param capabilities extra permissions by name, e.g. {@code credential_notifications}
 */
public record User(long id, String name, String email, Role role, List<String> capabilities) {

    public User {
        capabilities = List.copyOf(capabilities);
    }

    public boolean isSuperadmin() {
        return role == Role.SUPERADMIN;
    }
}
