package io.mailroom.host.store;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Bearer tokens, by hash. */
public interface TokenDao {

    @SqlUpdate("INSERT INTO api_tokens (user_id, name, token_hash) VALUES (:userId, :name, :hash)")
    void insert(@Bind("userId") long userId, @Bind("name") String name, @Bind("hash") String tokenHash);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM api_tokens WHERE token_hash = :hash)")
    boolean exists(@Bind("hash") String tokenHash);
}
