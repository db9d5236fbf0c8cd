package io.mailroom.host.messages;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.time.Instant;
import java.util.List;

/**
 * The reads behind the API's message lists. A list names the columns it reads ({@code columns}):
 * {@link #WITHOUT_BODIES} unless the caller asked for the bodies, so a page of 500 messages does
 * not read 500 text and HTML bodies to throw them away.
 */
public interface MessageListDao {

    /** {@link MessageDao#COLUMNS} with the bodies left out. */
    String WITHOUT_BODIES = MessageDao.COLUMNS.replace("m.text_body, m.html_body", "NULL AS text_body, NULL AS html_body");
    String WITH_BODIES = MessageDao.COLUMNS;

    @SqlQuery("SELECT <columns> FROM messages m " + MessageDao.VISIBLE + " WHERE m.id > :after AND "
            + MessageDao.FILTER + " ORDER BY m.id LIMIT :limit")
    List<StoredMessage> page(@Define("columns") String columns, @Bind("viewer") Long viewer,
                             @Bind("mailboxId") Long mailboxId, @Bind("threadId") Long threadId,
                             @Bind("folder") String folder, @Bind("direction") String direction,
                             @Bind("since") Instant since, @Bind("q") String q, @Bind("after") long afterId,
                             @Bind("limit") int limit);

    /** A thread's messages, oldest first; paged by position, as the order is not the id's. */
    @SqlQuery("SELECT <columns> FROM messages m WHERE m.thread_id = :threadId ORDER BY m.sent_at, m.id "
            + "LIMIT :limit OFFSET :offset")
    List<StoredMessage> inThread(@Define("columns") String columns, @Bind("threadId") long threadId,
                                 @Bind("offset") long offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM messages WHERE thread_id = :threadId")
    long countInThread(@Bind("threadId") long threadId);

    /** The attachments of a page of messages, in one query rather than one per message. */
    @SqlQuery("SELECT * FROM attachments WHERE message_id = ANY(:ids) ORDER BY message_id, index")
    List<StoredAttachment> attachmentsOf(@Bind("ids") long[] messageIds);
}
