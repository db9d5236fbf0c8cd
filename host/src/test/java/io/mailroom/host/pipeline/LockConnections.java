package io.mailroom.host.pipeline;

import org.jdbi.v3.core.Jdbi;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ends the database session holding a mailbox's sync lock, as a restart of PostgreSQL or a dropped connection does. */
final class LockConnections {

    private LockConnections() {
    }

    static void drop(Jdbi jdbi, long mailboxId) {
        jdbi.useHandle(handle -> {
            List<Integer> holders = handle.createQuery("SELECT pid FROM pg_locks WHERE locktype = 'advisory' "
                    + "AND objid = CAST(:id AS oid) AND objsubid = 2").bind("id", mailboxId).mapTo(Integer.class).list();
            assertThat(holders).as("the session holding the lock").hasSize(1);
            // waits until that backend has ended, and with it the lock
            assertThat(handle.createQuery("SELECT pg_terminate_backend(:pid, 10000)").bind("pid", holders.getFirst())
                    .mapTo(Boolean.class).one()).isTrue();
        });
    }
}
