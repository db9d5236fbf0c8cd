package io.mailroom.host.mailboxes;

import org.jdbi.v3.core.Jdbi;

/**
 * Roughly how many messages wait on the server: over the enabled folders, the server's count at
 * the last listing less the stored count, never below zero per folder. Folders never counted
 * (messages = -1) add nothing.
 */
final class MailboxBacklog {

    private final Jdbi jdbi;

    MailboxBacklog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    long of(Mailbox mailbox) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT COALESCE(sum(GREATEST(0, f.messages - (SELECT count(*) FROM messages m
                                WHERE m.mailbox_id = f.mailbox_id AND m.folder = f.name))), 0)
                        FROM mailbox_folders f
                        WHERE f.mailbox_id = :id AND f.name = ANY(:folders) AND f.messages >= 0
                          AND NOT f.deleted_on_server""")
                .bind("id", mailbox.id()).bind("folders", mailbox.folders().toArray(String[]::new))
                .mapTo(Long.class).one());
    }
}
