package io.mailroom.host.stats;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.time.LocalDate;
import java.util.List;

/**
 * Reads the daily counts the database keeps as mail comes and goes (V34's triggers write them;
 * nothing here does), limited to the mailboxes a viewer may see (null: every mailbox).
 */
public interface StatsDao {

    String SELECTED = "FROM mailbox_daily_counts c JOIN mailboxes mb ON mb.id = c.mailbox_id "
            + "AND (CAST(:viewer AS BIGINT) IS NULL OR mb.owner_user_id = :viewer) "
            + "WHERE c.day BETWEEN :since AND :until AND (CAST(:mailboxId AS BIGINT) IS NULL OR c.mailbox_id = :mailboxId)";

    /** The sums over every selected row, and how many rows there are. */
    record Totals(long rowCount, long received, long sent, long quarantined, long bounced, long skipped) {
    }

    @SqlQuery("SELECT c.mailbox_id, c.day, c.received, c.sent, c.quarantined, c.bounced, c.skipped " + SELECTED
            + " ORDER BY c.day, c.mailbox_id LIMIT :limit OFFSET :offset")
    List<DailyCounts> page(@Bind("viewer") Long viewer, @Bind("mailboxId") Long mailboxId,
                           @Bind("since") LocalDate since, @Bind("until") LocalDate until,
                           @Bind("offset") long offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) AS row_count, COALESCE(sum(c.received), 0) AS received, COALESCE(sum(c.sent), 0) AS sent, "
            + "COALESCE(sum(c.quarantined), 0) AS quarantined, COALESCE(sum(c.bounced), 0) AS bounced, "
            + "COALESCE(sum(c.skipped), 0) AS skipped " + SELECTED)
    Totals totals(@Bind("viewer") Long viewer, @Bind("mailboxId") Long mailboxId,
                  @Bind("since") LocalDate since, @Bind("until") LocalDate until);
}
