package io.mailroom.host.notifications;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** Users' notifications. */
public interface NotificationDao {

    @SqlUpdate("INSERT INTO notifications (user_id, kind, mailbox_id, message) VALUES (:userId, :kind, :mailboxId, :message)")
    void insert(@Bind("userId") long userId, @Bind("kind") String kind, @Bind("mailboxId") Long mailboxId,
                @Bind("message") String message);

    /** The users who hold a capability, e.g. {@code credential_notifications}. */
    @SqlQuery("SELECT id FROM users WHERE :capability = ANY(capabilities) ORDER BY id")
    List<Long> usersWith(@Bind("capability") String capability);

    @SqlQuery("SELECT * FROM notifications WHERE user_id = :userId AND (:before = 0 OR id < :before) "
            + "ORDER BY id DESC LIMIT :limit")
    List<Notification> newestFirst(@Bind("userId") long userId, @Bind("before") long beforeId, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM notifications WHERE user_id = :userId")
    long count(@Bind("userId") long userId);
}
