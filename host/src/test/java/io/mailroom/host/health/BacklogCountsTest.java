package io.mailroom.host.health;

import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.store.MailboxDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-folder message counts behind the backlog (metrics and a mailbox's stats) follow the
 * messages as they are stored, moved and deleted, and match a count of the rows.
 */
class BacklogCountsTest {

    @Test
    void the_counts_follow_the_messages_and_the_backlog_reads_them(@TempDir Path dir) {
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
            long mailbox = jdbi.withHandle(handle -> {
                long id = handle.createUpdate("INSERT INTO mailboxes (name, email, source, folders) "
                                + "VALUES ('Counted', 'counted@example.com', 'imap', '{INBOX}')")
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                handle.execute("INSERT INTO mailbox_folders (mailbox_id, name, messages) VALUES (?, 'INBOX', 10), "
                        + "(?, 'Archive', 4)", id, id);
                handle.execute("INSERT INTO blobs (sha256, size, content) SELECT 'h' || n, 1, 'x' "
                        + "FROM generate_series(1, 6) n");
                // one statement storing a batch, as a batch commit does, and one storing a single message
                handle.execute("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, size) "
                        + "SELECT ?, CASE WHEN n <= 3 THEN 'INBOX' ELSE 'Archive' END, 1, n::text, 'h' || n, 1 "
                        + "FROM generate_series(1, 5) n", id);
                handle.execute("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, size) "
                        + "VALUES (?, 'INBOX', 1, '6', 'h6', 1)", id);
                return id;
            });
            assertThat(counts(jdbi, mailbox)).isEqualTo(rowCounts(jdbi, mailbox)).containsEntry("INBOX", 4L);
            assertThat(backlog(jdbi, mailbox)).isEqualTo(6);

            jdbi.useHandle(handle -> {
                handle.execute("UPDATE messages SET folder = 'Archive' WHERE mailbox_id = ? AND server_key IN ('1', '2')", mailbox);
                handle.execute("UPDATE messages SET flags = '{\\\\Seen}' WHERE mailbox_id = ?", mailbox);
                handle.execute("DELETE FROM messages WHERE mailbox_id = ? AND server_key = '4'", mailbox);
            });
            assertThat(counts(jdbi, mailbox)).isEqualTo(rowCounts(jdbi, mailbox))
                    .containsEntry("INBOX", 2L).containsEntry("Archive", 3L);
            assertThat(backlog(jdbi, mailbox)).isEqualTo(8);

            Reply metrics = mailroom.admin().get("/metrics");
            assertThat(metrics.body()).contains("mailroom_mailbox_backlog{mailbox=\"" + mailbox + "\"} 8.0");

            jdbi.useHandle(handle -> handle.execute("DELETE FROM mailboxes WHERE id = ?", mailbox));
            assertThat(counts(jdbi, mailbox)).isEmpty();
        }
    }

    private static long backlog(Jdbi jdbi, long mailbox) {
        return jdbi.onDemand(MailboxDao.class).backlog(mailbox, new String[]{"INBOX"});
    }

    private static Map<String, Long> counts(Jdbi jdbi, long mailbox) {
        return jdbi.withHandle(handle -> toMap(handle, "SELECT folder, messages FROM folder_message_counts "
                + "WHERE mailbox_id = ? AND messages > 0", mailbox));
    }

    private static Map<String, Long> rowCounts(Jdbi jdbi, long mailbox) {
        return jdbi.withHandle(handle -> toMap(handle, "SELECT folder, count(*) FROM messages WHERE mailbox_id = ? "
                + "GROUP BY folder", mailbox));
    }

    private static Map<String, Long> toMap(Handle handle, String sql, long mailbox) {
        List<Map<String, Object>> rows = handle.createQuery(sql).bind(0, mailbox).mapToMap().list();
        return rows.stream().collect(java.util.stream.Collectors.toMap(row -> (String) row.get("folder"),
                row -> ((Number) row.values().toArray()[1]).longValue()));
    }
}
