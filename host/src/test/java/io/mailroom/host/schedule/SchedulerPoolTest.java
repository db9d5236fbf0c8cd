package io.mailroom.host.schedule;

import io.mailroom.host.TestMailroom;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's job store does not draw on the host's connection pool. A request that creates
 * or changes a mailbox holds a host connection (the mailbox's row, in a transaction) while it
 * changes the mailbox's job; when the job store took its connections from the same pool, enough
 * such requests at once (the load benchmark creating mailboxes 8 at a time beside running syncs)
 * held every connection, each waiting for one more, until they failed with 503
 * {@code scheduler_unavailable} or 500.
 */
class SchedulerPoolTest {

    @TempDir
    Path dir;

    @Test
    void a_job_changes_while_every_host_connection_is_held() {
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
            long id = jdbi.withHandle(handle -> handle.createUpdate("INSERT INTO mailboxes (name, email, source, schedule) "
                    + "VALUES ('Pool', 'pool@example.com', 'imap', '0 0 3 * * ?')").executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class).one());
            Mailbox mailbox = jdbi.onDemand(MailboxDao.class).find(id).orElseThrow();

            List<Handle> held = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    held.add(jdbi.open()); // the host pool's 16 connections, as 16 requests in their transactions
                }
                mailroom.mailroom().scheduler().update(mailbox);
                assertThat(mailroom.mailroom().scheduler().nextSyncAt(mailbox)).isPresent();
            } finally {
                held.forEach(Handle::close);
            }
            // removing also drops the mailbox's queued polls, which are host rows: after the held connections
            mailroom.mailroom().scheduler().remove(id);
            long jobs = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM qrtz_job_details WHERE job_name = :job")
                    .bind("job", "mailbox-sync:" + id).mapTo(Long.class).one());
            assertThat(jobs).isZero();
        }
    }
}
