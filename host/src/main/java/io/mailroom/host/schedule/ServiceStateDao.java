package io.mailroom.host.schedule;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** Cluster-wide switches (the maintenance pause) and when Quartz next fires a job. */
public interface ServiceStateDao {

    @SqlQuery("SELECT value FROM service_state WHERE key = :key")
    Optional<String> value(@Bind("key") String key);

    @SqlUpdate("INSERT INTO service_state (key, value) VALUES (:key, :value) "
            + "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()")
    void set(@Bind("key") String key, @Bind("value") String value);

    /** The next firing of a trigger in Quartz's tables, in epoch milliseconds. */
    @SqlQuery("SELECT next_fire_time FROM qrtz_triggers WHERE sched_name = :cluster AND trigger_group = :group "
            + "AND trigger_name = :name AND next_fire_time > 0")
    Optional<Long> nextFireTime(@Bind("cluster") String cluster, @Bind("group") String group, @Bind("name") String name);
}
