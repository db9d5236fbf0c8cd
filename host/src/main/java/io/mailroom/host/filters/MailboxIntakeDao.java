package io.mailroom.host.filters;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** One row per mailbox that does not take all mail ({@code mailbox_intake}). */
public interface MailboxIntakeDao {

    @SqlQuery("SELECT mailbox_id, filter_query::text AS filter_query, sync_known_only, contacts_only "
            + "FROM mailbox_intake WHERE mailbox_id = :id")
    Optional<MailboxIntake> find(@Bind("id") long mailboxId);

    @SqlUpdate("INSERT INTO mailbox_intake (mailbox_id, filter_query) VALUES (:id, CAST(:query AS jsonb)) "
            + "ON CONFLICT (mailbox_id) DO UPDATE SET filter_query = excluded.filter_query")
    void setFilterQuery(@Bind("id") long mailboxId, @Bind("query") String filterQuery);

    @SqlUpdate("INSERT INTO mailbox_intake (mailbox_id, sync_known_only) VALUES (:id, :on) "
            + "ON CONFLICT (mailbox_id) DO UPDATE SET sync_known_only = excluded.sync_known_only")
    void setSyncKnownOnly(@Bind("id") long mailboxId, @Bind("on") boolean on);

    @SqlUpdate("INSERT INTO mailbox_intake (mailbox_id, contacts_only) VALUES (:id, :on) "
            + "ON CONFLICT (mailbox_id) DO UPDATE SET contacts_only = excluded.contacts_only")
    void setContactsOnly(@Bind("id") long mailboxId, @Bind("on") boolean on);
}
