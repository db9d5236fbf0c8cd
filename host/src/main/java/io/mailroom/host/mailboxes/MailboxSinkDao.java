package io.mailroom.host.mailboxes;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** A mailbox's ticket sink: its id (null: none) and its settings, secrets sealed for {@code mailbox:<id>:sink}. */
public interface MailboxSinkDao {

    /** The sink and its stored settings (JSON text). */
    record MailboxSink(String sink, String settings) {
    }

    @SqlQuery("SELECT sink, sink_settings::text AS settings FROM mailboxes WHERE id = :id")
    Optional<MailboxSink> find(@Bind("id") long mailboxId);

    @SqlUpdate("UPDATE mailboxes SET sink = :sink, sink_settings = CAST(:settings AS jsonb) WHERE id = :id")
    void set(@Bind("id") long mailboxId, @Bind("sink") String sink, @Bind("settings") String settingsJson);

    /** The owner a secret of a mailbox's sink settings is sealed for. */
    static String secretOwner(long mailboxId) {
        return "mailbox:" + mailboxId + ":sink";
    }
}
