package io.mailroom.host.store;

import io.mailroom.host.store.EmbeddedPostgresServer.Durability;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;

/**
 * How Mailroom configures zonky's embedded PostgreSQL. zonky is built for throw-away test
 * databases: it cleans its data directory on close, starts PostgreSQL with {@code -F} (fsync off)
 * and {@code synchronous_commit=off}, and pipes the server's log into the JVM. A real
 * installation needs the opposite of each.
 */
final class EmbeddedServerSettings {

    private EmbeddedServerSettings() {
    }

    static EmbeddedPostgres.Builder builder(EmbeddedDataDirectory directory, Durability durability, int port) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory.cluster())
                .setCleanDataDirectory(false)
                .setPort(port)
                // initdb -A trust: anyone who can connect is superuser, so only loopback may.
                .setServerConfig("listen_addresses", "localhost");
        if (durability == Durability.DURABLE) {
            builder.setOverrideWorkingDirectory(directory.binaries().toFile())
                    // Given after zonky's -F on the command line, these win (SHOW fsync says on).
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // Crash recovery after a power cut can outlast zonky's 10 s default.
                    .setPGStartupWait(Duration.ofMinutes(2))
                    // The server outlives a killed JVM, so it must not log into that JVM's pipe:
                    // it keeps a week of daily logs in <cluster>/log instead.
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_filename", "postgresql-%a.log")
                    .setServerConfig("log_truncate_on_rotation", "on")
                    .setServerConfig("log_rotation_age", "1d")
                    .setServerConfig("log_rotation_size", "0");
        }
        return builder;
    }
}
