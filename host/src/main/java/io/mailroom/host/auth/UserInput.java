package io.mailroom.host.auth;

import java.util.List;

/** A user as an admin sends it; on update, null fields stay as they are. */
public record UserInput(String name, String email, String role, List<String> capabilities) {
}
