package io.mailroom.host.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.mailboxes.MailboxDao;
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
 * messages as they are stored, moved and deleted, and match a count of the rows; a mailbox's
 * stats (messages, backlog) read them, never the messages table.
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

            JsonNode stats = mailroom.admin().get("/api/mailboxes/" + mailbox).json().get("stats");
            assertThat(stats.get("messages").asLong()).isEqualTo(rowCount(jdbi, mailbox)).isEqualTo(5);
            assertThat(stats.get("backlog").asLong()).isEqualTo(8);
            assertThat(stats.has("import")).isFalse();
            assertThat(messageRowsRead(jdbi, mailbox)).isZero();

            Reply metrics = mailroom.admin().get("/metrics");
            assertThat(metrics.body()).contains("mailroom_mailbox_backlog{mailbox=\"" + mailbox + "\"} 8.0");

            jdbi.useHandle(handle -> handle.execute("DELETE FROM mailboxes WHERE id = ?", mailbox));
            assertThat(counts(jdbi, mailbox)).isEmpty();
        }
    }

    private static long rowCount(Jdbi jdbi, long mailbox) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM messages WHERE mailbox_id = :id")
                .bind("id", mailbox).mapTo(Long.class).one());
    }

    /**
     * Scans of the messages table while reading the figures a mailbox's stats show, in one
     * transaction, as PostgreSQL counts them for it ({@code pg_stat_xact_user_tables}).
     */
    private static long messageRowsRead(Jdbi jdbi, long mailbox) {
        String scans = "SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) FROM pg_stat_xact_user_tables "
                + "WHERE relname = 'messages'";
        return jdbi.inTransaction(handle -> {
            // the figures also hold what this connection did before and has not reported yet: the difference counts
            long before = handle.createQuery(scans).mapTo(Long.class).one();
            MailboxDao dao = handle.attach(MailboxDao.class);
            dao.storedMessages(mailbox);
            dao.backlog(mailbox, new String[]{"INBOX"});
            return handle.createQuery(scans).mapTo(Long.class).one() - before;
        });
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
