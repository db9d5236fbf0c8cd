package io.mailroom.host.auth;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** Users and the look-up of a caller by token hash. */
public interface UserDao {

    String COLUMNS = "users.id, users.name, users.email, users.role, users.capabilities";

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
    Optional<User> find(@Bind("id") long id);

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower(:email)")
    Optional<User> findByEmail(@Bind("email") String email);

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE id > :after ORDER BY id LIMIT :limit")
    List<User> page(@Bind("after") long afterId, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM users")
    long count();

    /** Keeps concurrent first starts (several nodes, or serve and a command) from creating two superadmins. */
    @SqlUpdate("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
    void lockAgainstConcurrentCreation();

    @SqlQuery("SELECT count(*) FROM users WHERE role = 'superadmin'")
    long countSuperadmins();

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE role = 'superadmin' ORDER BY id LIMIT 1")
    Optional<User> firstSuperadmin();

    @SqlUpdate("INSERT INTO users (name, email, role, capabilities) VALUES (:name, :email, :role, :capabilities)")
    @GetGeneratedKeys("id")
    long insert(@Bind("name") String name, @Bind("email") String email, @Bind("role") String role,
                @Bind("capabilities") String[] capabilities);

    @SqlUpdate("UPDATE users SET name = :name, email = :email, role = :role, capabilities = :capabilities WHERE id = :id")
    int update(@Bind("id") long id, @Bind("name") String name, @Bind("email") String email, @Bind("role") String role,
               @Bind("capabilities") String[] capabilities);

    @SqlUpdate("DELETE FROM users WHERE id = :id")
    int delete(@Bind("id") long id);

    /** The owner of a token. */
    @SqlQuery("SELECT " + COLUMNS + " FROM users JOIN api_tokens ON api_tokens.user_id = users.id "
            + "WHERE api_tokens.token_hash = :hash")
    Optional<User> findByTokenHash(@Bind("hash") String tokenHash);

    /**
     * The owner of a token, for a request it authenticates: one round trip, which records the
     * token's use only when the last record is a minute old or more, so a busy client does not
     * turn every read into a write.
     */
    @SqlQuery("WITH token AS (SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = :hash), "
            + "touched AS (UPDATE api_tokens SET last_used_at = now() FROM token WHERE api_tokens.id = token.id "
            + "AND (token.last_used_at IS NULL OR token.last_used_at < now() - INTERVAL '1 minute')) "
            + "SELECT " + COLUMNS + " FROM users JOIN token ON token.user_id = users.id")
    Optional<User> authenticate(@Bind("hash") String tokenHash);
}
