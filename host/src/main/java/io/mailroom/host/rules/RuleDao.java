package io.mailroom.host.rules;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/**
 * Rules. A null viewer is a superadmin, who sees every rule; a user sees the rules of the
 * mailboxes they own and their own rules for all mailboxes.
 */
public interface RuleDao {

    String COLUMNS = "r.id, r.owner_user_id, r.mailbox_id, r.name, r.condition::text AS condition, "
            + "r.actions::text AS actions, r.priority, r.active, r.stop, r.created_at, r.updated_at";

    String VISIBLE = "(CAST(:viewer AS BIGINT) IS NULL OR (r.mailbox_id IS NULL AND r.owner_user_id = :viewer) "
            + "OR r.mailbox_id IN (SELECT id FROM mailboxes WHERE owner_user_id = :viewer))";

    String OF_MAILBOX = "(CAST(:mailboxId AS BIGINT) IS NULL OR r.mailbox_id = :mailboxId)";

    @SqlQuery("SELECT " + COLUMNS + " FROM rules r WHERE r.id = :id AND " + VISIBLE)
    Optional<Rule> findVisible(@Bind("id") long id, @Bind("viewer") Long viewer);

    @SqlQuery("SELECT " + COLUMNS + " FROM rules r WHERE " + VISIBLE + " AND " + OF_MAILBOX
            + " AND r.id > :afterId ORDER BY r.id LIMIT :limit")
    List<Rule> page(@Bind("viewer") Long viewer, @Bind("mailboxId") Long mailboxId, @Bind("afterId") long afterId,
                    @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM rules r WHERE " + VISIBLE + " AND " + OF_MAILBOX)
    long count(@Bind("viewer") Long viewer, @Bind("mailboxId") Long mailboxId);

    /**
     * The active rules that apply to a mailbox, in the order they run: its own, and its owner's
     * for all mailboxes; lowest priority first, then by id.
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM rules r JOIN mailboxes m ON m.id = :mailboxId WHERE r.active "
            + "AND (r.mailbox_id = m.id OR (r.mailbox_id IS NULL AND r.owner_user_id = m.owner_user_id)) "
            + "ORDER BY r.priority, r.id")
    List<Rule> activeFor(@Bind("mailboxId") long mailboxId);

    /** An id for a rule about to be inserted: its secrets are sealed for it before the insert. */
    @SqlQuery("SELECT nextval(pg_get_serial_sequence('rules', 'id'))")
    long nextId();

    @SqlUpdate("INSERT INTO rules (id, owner_user_id, mailbox_id, name, condition, actions, priority, active, stop) "
            + "VALUES (:id, :owner, :mailboxId, :name, CAST(:condition AS jsonb), CAST(:actions AS jsonb), :priority, "
            + ":active, :stop)")
    void insert(@Bind("id") long id, @Bind("owner") long ownerUserId, @Bind("mailboxId") Long mailboxId,
                @Bind("name") String name, @Bind("condition") String condition, @Bind("actions") String actions,
                @Bind("priority") int priority, @Bind("active") boolean active, @Bind("stop") boolean stop);

    @SqlUpdate("UPDATE rules SET mailbox_id = :mailboxId, name = :name, condition = CAST(:condition AS jsonb), "
            + "actions = CAST(:actions AS jsonb), priority = :priority, active = :active, stop = :stop, "
            + "updated_at = clock_timestamp() WHERE id = :id")
    void update(@Bind("id") long id, @Bind("mailboxId") Long mailboxId, @Bind("name") String name,
                @Bind("condition") String condition, @Bind("actions") String actions, @Bind("priority") int priority,
                @Bind("active") boolean active, @Bind("stop") boolean stop);

    @SqlUpdate("DELETE FROM rules WHERE id = :id")
    int delete(@Bind("id") long id);
}
