package io.mailroom.host.oauth;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Optional;

/** Authorizations under way. */
public interface StateDao {

    @SqlUpdate("INSERT INTO oauth_states (id, user_id, mailbox_id, provider, protocol, code_verifier, browser_hash, "
            + "expires_at) VALUES (:id, :userId, :mailboxId, :provider, :protocol, :codeVerifier, :browserHash, :expiresAt)")
    void insert(@BindMethods StateRow state);

    /** Takes the state: whoever deletes the row has it, so a state is used once, however many callbacks race. */
    @SqlQuery("DELETE FROM oauth_states WHERE id = :id RETURNING id, user_id, mailbox_id, provider, protocol, "
            + "code_verifier, browser_hash, expires_at")
    Optional<StateRow> take(@Bind("id") String id);

    @SqlUpdate("DELETE FROM oauth_states WHERE expires_at < :now")
    int deleteExpired(@Bind("now") Instant now);
}
