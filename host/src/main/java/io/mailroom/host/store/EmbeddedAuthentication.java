package io.mailroom.host.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password authentication for the embedded PostgreSQL. zonky creates clusters with
 * {@code initdb -A trust}: any local user who can reach the port would be superuser, and could
 * read every mail and the sealed secrets. Mailroom's clusters instead require the superuser's
 * password ({@code data/postgres.password}, 0600) with SCRAM-SHA-256 on every connection,
 * TCP and Unix socket alike.
 *
 * <p>A new cluster gets the password from {@code initdb --pwfile} and this {@code pg_hba.conf}
 * before its first start, so it never trusts anyone. A cluster made by an earlier version
 * (trust) is migrated on start: while trust still lets Mailroom in, it sets the password
 * (hashed client-side, so the clear text never reaches the server or its log), then rewrites
 * {@code pg_hba.conf} and reloads. Each step can be repeated if a crash interrupts it.
 */
final class EmbeddedAuthentication {

    /** The first line of the pg_hba.conf Mailroom writes; its presence means "migrated". */
    static final String MARKER = "# Mailroom: SCRAM password authentication for every connection.";

    private static final String HBA = MARKER + """

            # Written by Mailroom; the password is in <data dir>/postgres.password.
            # TYPE  DATABASE     USER  ADDRESS       METHOD
            local   all          all                 scram-sha-256
            host    all          all   127.0.0.1/32  scram-sha-256
            host    all          all   ::1/128       scram-sha-256
            local   replication  all                 scram-sha-256
            host    replication  all   127.0.0.1/32  scram-sha-256
            host    replication  all   ::1/128       scram-sha-256
            """;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAuthentication.class);

    private EmbeddedAuthentication() {
    }

    /** Writes Mailroom's pg_hba.conf into {@code cluster} (before a start, or before a reload). */
    static void writeHba(Path cluster) {
        Path hba = cluster.resolve("pg_hba.conf");
        try {
            Path temporary = cluster.resolve("pg_hba.conf.mailroom");
            Files.writeString(temporary, HBA, StandardCharsets.US_ASCII);
            Files.move(temporary, hba, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + hba, e);
        }
    }

    static boolean migrated(Path cluster) {
        try {
            Path hba = cluster.resolve("pg_hba.conf");
            return Files.isRegularFile(hba) && Files.readString(hba, StandardCharsets.US_ASCII).startsWith(MARKER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes sure the server of {@code cluster} running on {@code port} wants the password: the
     * superuser connects with it (which trust, before the migration, also accepts).
     */
    static void require(Path cluster, int port, String password) {
        if (migrated(cluster)) {
            return;
        }
        LOG.info("Securing the embedded PostgreSQL in {}: password authentication (SCRAM) replaces trust", cluster);
        DataSource superuser = EmbeddedPostgresServer.dataSource(port, EmbeddedPostgresServer.MAINTENANCE_DATABASE, password);
        try (Connection connection = superuser.getConnection()) {
            connection.unwrap(PGConnection.class).alterUserPassword(EmbeddedPostgresServer.SUPERUSER,
                    password.toCharArray(), "scram-sha-256");
            writeHba(cluster);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_reload_conf()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set a password on the embedded PostgreSQL in " + cluster
                    + ": " + e.getMessage(), e);
        }
        awaitReload(port);
    }

    /** The postmaster reloads on a signal, a moment later: wait until trust no longer lets anyone in. */
    private static void awaitReload(int port) {
        DataSource noPassword = EmbeddedPostgresServer.dataSource(port, EmbeddedPostgresServer.MAINTENANCE_DATABASE, null);
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Connection ignored = noPassword.getConnection()) {
                Thread.sleep(100);
            } catch (SQLException refused) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("The embedded PostgreSQL on port {} still accepts connections without a password", port);
    }
}
