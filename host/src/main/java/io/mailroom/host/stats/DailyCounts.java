package io.mailroom.host.stats;

import java.time.LocalDate;

/** What one mailbox did on one UTC day (a row of {@code mailbox_daily_counts}, V34). */
public record DailyCounts(long mailboxId, LocalDate day, long received, long sent, long quarantined, long bounced,
                          long skipped) {
}
