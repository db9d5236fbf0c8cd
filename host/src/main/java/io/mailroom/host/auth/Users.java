package io.mailroom.host.auth;

import io.mailroom.host.errors.ApiException;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates, changes and removes users and issues their tokens, checking every field first so
 * that bad input changes nothing.
 */
public final class Users {

    /** The capability to read {@code /metrics} on the API port. */
    public static final String METRICS = "metrics";

    /** Capabilities a user can hold beyond their role. */
    public static final Set<String> CAPABILITIES = Set.of("credential_notifications", METRICS);

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final Jdbi jdbi;

    public Users(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<User> find(long id) {
        return jdbi.onDemand(UserDao.class).find(id);
    }

    public User create(UserInput input) {
        String name = required(input.name(), "name");
        String email = email(required(input.email(), "email"));
        Role role = role(input.role() == null ? Role.USER.id() : input.role());
        List<String> capabilities = capabilities(input.capabilities() == null ? List.of() : input.capabilities());
        return jdbi.inTransaction(handle -> {
            UserDao dao = handle.attach(UserDao.class);
            if (dao.findByEmail(email).isPresent()) {
                throw ApiException.conflict("a user with email " + email + " exists");
            }
            long id = dao.insert(name, email, role.id(), capabilities.toArray(String[]::new));
            return dao.find(id).orElseThrow();
        });
    }

    public User update(long id, UserInput input) {
        return jdbi.inTransaction(handle -> {
            UserDao dao = handle.attach(UserDao.class);
            User current = dao.find(id).orElseThrow(() -> ApiException.notFound("user " + id));
            String name = input.name() == null ? current.name() : required(input.name(), "name");
            String email = input.email() == null ? current.email() : email(required(input.email(), "email"));
            Role role = input.role() == null ? current.role() : role(input.role());
            List<String> capabilities = input.capabilities() == null ? current.capabilities() : capabilities(input.capabilities());
            if (dao.findByEmail(email).filter(other -> other.id() != id).isPresent()) {
                throw ApiException.conflict("a user with email " + email + " exists");
            }
            if (current.isSuperadmin() && role != Role.SUPERADMIN && dao.countSuperadmins() == 1) {
                throw ApiException.conflict("the last superadmin cannot lose the role");
            }
            dao.update(id, name, email, role.id(), capabilities.toArray(String[]::new));
            return dao.find(id).orElseThrow();
        });
    }

    public void delete(long id) {
        jdbi.useTransaction(handle -> {
            UserDao dao = handle.attach(UserDao.class);
            User current = dao.find(id).orElseThrow(() -> ApiException.notFound("user " + id));
            if (current.isSuperadmin() && dao.countSuperadmins() == 1) {
                throw ApiException.conflict("the last superadmin cannot be deleted");
            }
            dao.delete(id);
        });
    }

    /** Issues a new token for a user; the token is returned once and stored only as a hash. */
    public String issueToken(long userId, String name) {
        String token = ApiTokens.generate();
        jdbi.onDemand(TokenDao.class).insert(userId, name == null || name.isBlank() ? "api" : name.trim(),
                ApiTokens.hash(token));
        return token;
    }

    private static String required(String value, String path) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(path, path + " must not be empty");
        }
        return value.trim();
    }

    private static String email(String value) {
        if (!EMAIL.matcher(value).matches()) {
            throw ApiException.invalid("email", "email must be an address like name@example.com");
        }
        return value;
    }

    private static Role role(String value) {
        Role role = Role.fromId(value);
        if (role == null) {
            throw ApiException.invalid("role", "role must be superadmin or user");
        }
        return role;
    }

    private static List<String> capabilities(List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (!CAPABILITIES.contains(values.get(i))) {
                throw ApiException.invalid("capabilities[" + i + "]", "unknown capability; known: " + CAPABILITIES);
            }
        }
        return values.stream().distinct().sorted().toList();
    }
}
