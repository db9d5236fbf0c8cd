package io.mailroom.host.store;

import io.mailroom.host.store.EmbeddedPostgresServer.Durability;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
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

    static EmbeddedPostgres.Builder builder(EmbeddedDataDirectory directory, Durability durability, int port,
                                            String password) {
        boolean fresh = !Files.exists(directory.cluster().resolve("postgresql.conf"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory.cluster())
                .setCleanDataDirectory(false)
                .setPort(port)
                // zonky's own start-up check connects too: with the password, once trust is gone
                .setConnectConfig("password", password)
                // only Mailroom on this host connects; the password guards against other local users
                .setServerConfig("listen_addresses", "localhost");
        if (fresh) {
            // zonky runs initdb -A trust; the superuser gets the password at initdb time (zonky
            // passes "locale" options to initdb as --name=value), and the cluster's pg_hba.conf
            // is replaced before its first start, so a new cluster never trusts anyone
            builder.setLocaleConfig("pwfile", directory.passwordFile().toString())
                    .setDataDirectoryCustomizer(cluster -> EmbeddedAuthentication.writeHba(cluster.toPath()));
        }
        if (durability == Durability.DURABLE) {
            builder.setOverrideWorkingDirectory(directory.binaries().toFile())
                    // Mailroom stops the server itself, last, after the scheduler and the pool. zonky's
                    // hook would stop it at the same moment as Mailroom's, under running syncs, and the
                    // pool and Quartz would log the dying connections. A process killed before its
                    // hook runs leaves the server to the next start, which adopts and later stops it.
                    .setRegisterShutdownHook(false)
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
