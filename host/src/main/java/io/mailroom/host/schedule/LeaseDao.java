package io.mailroom.host.schedule;

import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** Push leases: the mailboxes a node watches. Times are the database's, so nodes need no shared clock. */
public interface LeaseDao {

    /** Extends this node's leases of mailboxes that still want push. */
    @SqlUpdate("UPDATE push_leases SET expires_at = now() + make_interval(secs => :seconds) "
            + "WHERE node_id = :node AND mailbox_id IN (SELECT id FROM mailboxes WHERE push AND enabled)")
    int renew(@Bind("node") String nodeId, @Bind("seconds") long seconds);

    /** Takes up to {@code limit} push mailboxes nobody holds, or whose holder's lease expired. */
    @SqlQuery("INSERT INTO push_leases (mailbox_id, node_id, expires_at) "
            + "SELECT m.id, :node, now() + make_interval(secs => :seconds) FROM mailboxes m "
            + "LEFT JOIN push_leases l ON l.mailbox_id = m.id "
            + "WHERE m.push AND m.enabled AND (l.mailbox_id IS NULL OR l.expires_at < now()) ORDER BY m.id LIMIT :limit "
            + "ON CONFLICT (mailbox_id) DO UPDATE SET node_id = excluded.node_id, expires_at = excluded.expires_at "
            + "WHERE push_leases.expires_at < now() RETURNING mailbox_id")
    List<Long> acquire(@Bind("node") String nodeId, @Bind("seconds") long seconds, @Bind("limit") int limit);

    /**
     * Takes or renews the lease of one mailbox that wants push, unless another node holds it
     * unexpired; returns the id when this node holds it now.
     */
    @SqlQuery("INSERT INTO push_leases (mailbox_id, node_id, expires_at) "
            + "SELECT id, :node, now() + make_interval(secs => :seconds) FROM mailboxes WHERE id = :id AND push AND enabled "
            + "ON CONFLICT (mailbox_id) DO UPDATE SET node_id = excluded.node_id, expires_at = excluded.expires_at "
            + "WHERE push_leases.node_id = excluded.node_id OR push_leases.expires_at < now() RETURNING mailbox_id")
    Optional<Long> take(@Bind("node") String nodeId, @Bind("id") long mailboxId, @Bind("seconds") long seconds);

    /** The push mailboxes this node holds an unexpired lease of, as they are stored now. */
    @SqlQuery("SELECT " + MailboxDao.COLUMNS + " FROM mailboxes WHERE push AND enabled AND id IN "
            + "(SELECT mailbox_id FROM push_leases WHERE node_id = :node AND expires_at > now()) ORDER BY id")
    List<Mailbox> held(@Bind("node") String nodeId);

    /** Gives up this node's leases of mailboxes that no longer want push. */
    @SqlUpdate("DELETE FROM push_leases WHERE node_id = :node "
            + "AND mailbox_id NOT IN (SELECT id FROM mailboxes WHERE push AND enabled)")
    void releaseUnwanted(@Bind("node") String nodeId);

    /** Gives up this node's lease of one mailbox, if it holds it. */
    @SqlUpdate("DELETE FROM push_leases WHERE node_id = :node AND mailbox_id = :id")
    void release(@Bind("node") String nodeId, @Bind("id") long mailboxId);

    @SqlUpdate("DELETE FROM push_leases WHERE node_id = :node")
    void releaseAll(@Bind("node") String nodeId);
}
