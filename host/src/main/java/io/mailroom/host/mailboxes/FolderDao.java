package io.mailroom.host.mailboxes;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

/** A mailbox's server folders and their sync cursors. */
public interface FolderDao {

    @SqlQuery("SELECT * FROM mailbox_folders WHERE mailbox_id = :mailboxId ORDER BY name")
    List<FolderState> forMailbox(@Bind("mailboxId") long mailboxId);

    @SqlQuery("SELECT * FROM mailbox_folders WHERE mailbox_id = :mailboxId AND name = :name")
    Optional<FolderState> find(@Bind("mailboxId") long mailboxId, @Bind("name") String name);

    @SqlUpdate("INSERT INTO mailbox_folders (mailbox_id, name, attributes, messages) "
            + "VALUES (:mailboxId, :name, :attributes, :messages) ON CONFLICT (mailbox_id, name) DO UPDATE "
            + "SET attributes = excluded.attributes, messages = excluded.messages, deleted_on_server = false")
    void upsert(@Bind("mailboxId") long mailboxId, @Bind("name") String name,
                @Bind("attributes") String[] attributes, @Bind("messages") long messages);

    @SqlUpdate("UPDATE mailbox_folders SET deleted_on_server = true WHERE mailbox_id = :mailboxId AND name = :name")
    void markDeletedOnServer(@Bind("mailboxId") long mailboxId, @Bind("name") String name);

    @SqlUpdate("DELETE FROM mailbox_folders WHERE mailbox_id = :mailboxId AND name = :name")
    void delete(@Bind("mailboxId") long mailboxId, @Bind("name") String name);

    /** Moves the cursor; called in the transaction that stores the messages it covers. */
    @SqlUpdate("UPDATE mailbox_folders SET uid_validity = :validity, last_uid = :lastUid "
            + "WHERE mailbox_id = :mailboxId AND name = :name")
    void advance(@Bind("mailboxId") long mailboxId, @Bind("name") String name,
                 @Bind("validity") long validity, @Bind("lastUid") long lastUid);

    /**
     * Starts the folder's UID space again (a new UIDVALIDITY): the next read starts from its first
     * message, and the re-read stays pending until a run drains the folder.
     */
    @SqlUpdate("UPDATE mailbox_folders SET uid_validity = :validity, last_uid = 0, highest_modseq = :modseq, "
            + "reread_pending = true WHERE mailbox_id = :mailboxId AND name = :name")
    void reset(@Bind("mailboxId") long mailboxId, @Bind("name") String name, @Bind("validity") long validity,
               @Bind("modseq") long modseq);

    /** The re-read after a new UIDVALIDITY read the whole folder. */
    @SqlUpdate("UPDATE mailbox_folders SET reread_pending = false WHERE mailbox_id = :mailboxId AND name = :name")
    void finishReread(@Bind("mailboxId") long mailboxId, @Bind("name") String name);

    @SqlUpdate("UPDATE mailbox_folders SET highest_modseq = :modseq WHERE mailbox_id = :mailboxId AND name = :name")
    void recordModseq(@Bind("mailboxId") long mailboxId, @Bind("name") String name, @Bind("modseq") long modseq);
}
