package io.mailroom.host.auth;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** Bearer tokens, by hash. Reads take the caller's user id, or null for a superadmin, who sees all. */
public interface TokenDao {

    String COLUMNS = "id, user_id, name, created_at, last_used_at";
    String VISIBLE = "(CAST(:viewer AS BIGINT) IS NULL OR user_id = :viewer)";

    @SqlUpdate("INSERT INTO api_tokens (user_id, name, token_hash) VALUES (:userId, :name, :hash)")
    void insert(@Bind("userId") long userId, @Bind("name") String name, @Bind("hash") String tokenHash);

    /** A token taken from {@code MAILROOM_ADMIN_TOKEN}. */
    @SqlUpdate("INSERT INTO api_tokens (user_id, name, token_hash, from_config) "
            + "VALUES (:userId, 'MAILROOM_ADMIN_TOKEN', :hash, true)")
    void insertConfigured(@Bind("userId") long userId, @Bind("hash") String tokenHash);

    /** Revokes the tokens an earlier {@code MAILROOM_ADMIN_TOKEN} gave; returns how many. */
    @SqlUpdate("DELETE FROM api_tokens WHERE from_config AND token_hash <> :hash")
    int revokeConfiguredOtherThan(@Bind("hash") String tokenHash);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM api_tokens WHERE token_hash = :hash)")
    boolean exists(@Bind("hash") String tokenHash);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE id > :after AND " + VISIBLE + " ORDER BY id LIMIT :limit")
    List<ApiToken> page(@Bind("viewer") Long viewer, @Bind("after") long afterId, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM api_tokens WHERE " + VISIBLE)
    long count(@Bind("viewer") Long viewer);

    /** Revokes a token the viewer may see; returns 0 when there is none. */
    @SqlUpdate("DELETE FROM api_tokens WHERE id = :id AND " + VISIBLE)
    int revoke(@Bind("id") long id, @Bind("viewer") Long viewer);
}
