package io.mailroom.host.pipeline;

import io.mailroom.api.TemporaryException;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The words a failed sync leaves in the poll log and {@code last_error}: whose fault it was. */
class FailureReasonTest {

    @Test
    void a_database_that_went_away_is_named_not_left_as_a_bare_connection_refused() {
        // what Jdbi throws when Hikari cannot reach PostgreSQL (FaultsIT stops it under a sync)
        Throwable down = new ConnectionException(new SQLTransientConnectionException(
                "mailroom - Connection is not available, request timed out after 5000ms",
                new SQLException("Connection to localhost:5432 refused.", new ConnectException("Connection refused"))));

        assertThat(FailureReason.of(down)).isEqualTo("the database failed: Connection refused");
    }

    @Test
    void a_full_local_disk_says_it_is_mailroom_s_own_disk() {
        Throwable full = new TemporaryException("reading INBOX: No space left on device",
                new IOException("No space left on device"));

        assertThat(FailureReason.of(full)).startsWith("reading INBOX: No space left on device (")
                .contains("Mailroom's own disk is full", "data directory");
    }

    @Test
    void a_mail_server_saying_the_words_is_left_as_the_server_said_it() {
        Throwable remote = new TemporaryException("reading INBOX: NO [OVERQUOTA] No space left on device");

        assertThat(FailureReason.of(remote)).isEqualTo("reading INBOX: NO [OVERQUOTA] No space left on device");
    }

    @Test
    void a_plugin_s_own_message_is_kept_as_it_is() {
        Throwable plugin = new TemporaryException("reading INBOX: * BYE Connection reset",
                new IOException("Connection reset"));

        assertThat(FailureReason.of(plugin)).isEqualTo("reading INBOX: * BYE Connection reset");
    }
}
