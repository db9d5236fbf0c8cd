package io.mailroom.host.health;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mailroom.host.mailboxes.Poll;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A finished sync leaves one INFO line with the mailbox, its counts and the duration; a failed one none here. */
class SyncLogTest {

    @Test
    void a_sync_that_succeeds_leaves_one_info_line() {
        Logger logger = (Logger) LoggerFactory.getLogger(SyncLog.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (Database database = TestDatabase.create()) {
            long mailbox = database.jdbi().withHandle(handle -> handle.createUpdate(
                            "INSERT INTO mailboxes (name, email, source) VALUES ('Support', 'support@example.com', 'imap')")
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            MailboxMetrics metrics = new MailboxMetrics(database.jdbi(), new SimpleMeterRegistry(), Clock.systemUTC());
            Instant start = Instant.parse("2026-11-29T10:00:00Z");

            metrics.recordPoll(new Poll(1, mailbox, start, start.plusMillis(2500), "ok", 12, 9, 2, 1, 12, false, null, List.of()));
            metrics.recordPoll(new Poll(2, mailbox, start, start.plusSeconds(1), "failed", 0, 0, 0, 0, 0, false, "refused", List.of()));
        } finally {
            logger.detachAppender(logged);
        }

        assertThat(logged.list).hasSize(1);
        ILoggingEvent line = logged.list.getFirst();
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        assertThat(line.getFormattedMessage()).contains("\"Support\" <support@example.com>").contains("ok")
                .contains("found 12").contains("stored 9").contains("skipped 2").contains("quarantined 1")
                .contains("2.5 s");
    }
}
