package io.mailroom.host.oauth;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** Providers' installation settings set through the API. */
public interface ProviderDao {

    @SqlQuery("SELECT id, enabled, settings::text AS settings, reason FROM oauth_providers WHERE id = :id")
    Optional<ProviderRow> find(@Bind("id") String id);

    @SqlUpdate("INSERT INTO oauth_providers (id, enabled, settings, reason) VALUES (:id, :enabled, CAST(:settings AS jsonb), :reason) "
            + "ON CONFLICT (id) DO UPDATE SET enabled = :enabled, settings = CAST(:settings AS jsonb), reason = :reason, "
            + "updated_at = now()")
    void save(@Bind("id") String id, @Bind("enabled") boolean enabled, @Bind("settings") String settings,
              @Bind("reason") String reason);
}
