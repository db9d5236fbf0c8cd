package io.mailroom.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailroom.host.config.MailroomConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default, as a real installation runs it: durable, in the data directory. */
class EmbeddedDatabaseTest {

    @TempDir
    static Path dataDir;
    private static MailroomConfig config;
    private static Database database;

    @BeforeAll
    static void openEmbedded() {
        config = MailroomConfig.from(Map.of("mailroom.data.dir", dataDir.toString()));
        database = Database.open(config);
    }

    @AfterAll
    static void closeEmbedded() throws Exception {
        database.close();
        ServerLeftBehind.stop(dataDir);
    }

    @Test
    void embedded_default_turns_fsync_and_synchronous_commit_on() {
        assertThat(setting("fsync")).isEqualTo("on");
        assertThat(setting("synchronous_commit")).isEqualTo("on");
    }

    @Test
    void embedded_default_uses_the_mailroom_database_on_a_loopback_port() {
        assertThat(query("SELECT current_database()")).isEqualTo("mailroom");
        assertThat(setting("listen_addresses")).isEqualTo("localhost");
        assertThat(dataDir.resolve("postgres/log")).as("server log, outside any JVM's pipe").isNotEmptyDirectory();
        assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_name = 'qrtz_locks'"))
                .isEqualTo("qrtz_locks");
    }

    @Test
    void embedded_database_keeps_data_across_restarts() throws Exception {
        database.jdbi().useHandle(handle -> {
            handle.execute("CREATE TABLE kept (note text)");
            handle.execute("INSERT INTO kept VALUES ('still here')");
        });
        int port = serverPort();
        database.close();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("the server stopped").doesNotExist();

        database = Database.open(config);

        assertThat(query("SELECT note FROM kept")).isEqualTo("still here");
        assertThat(serverPort()).as("pinned port").isEqualTo(port);
        assertThat(Files.readString(dataDir.resolve("postgres.port")).strip()).isEqualTo(String.valueOf(port));
    }

    @Test
    void a_server_left_behind_by_a_killed_jvm_is_connected_to() throws Exception {
        database.jdbi().useHandle(handle -> handle.execute("CREATE TABLE survivor (note text)"));
        int port = serverPort();
        database.close();

        long leftBehind = ServerLeftBehind.startInAJvmKilledAfterwards(dataDir);
        database = Database.open(config);

        assertThat(serverPort()).isEqualTo(port);
        assertThat(query("SELECT count(*) FROM survivor")).isEqualTo("0");
        assertThat(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst())
                .as("still the killed JVM's server").isEqualTo(String.valueOf(leftBehind));

        database.close();

        assertThat(ProcessHandle.of(leftBehind).filter(ProcessHandle::isAlive)).as("the adopted server stopped on close")
                .isEmpty();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        database = Database.open(config);
    }

    @Test
    void a_connection_without_the_password_is_refused() throws Exception {
        Path passwordFile = dataDir.resolve("postgres.password");
        assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String password = Files.readString(passwordFile).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(40);

        assertThatThrownBy(() -> EmbeddedPostgresServer.dataSource(serverPort(), "mailroom", null).getConnection().close())
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> EmbeddedPostgresServer.dataSource(serverPort(), "mailroom", "guess").getConnection().close())
                .isInstanceOf(SQLException.class);
        try (Connection connection = EmbeddedPostgresServer.dataSource(serverPort(), "mailroom", password).getConnection()) {
            assertThat(connection.isValid(2)).isTrue();
        }
        assertThat(query("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'")).isEqualTo("0");
    }

    @Test
    void a_trust_cluster_of_an_earlier_version_is_migrated_on_start(@TempDir Path oldDataDir) throws Exception {
        int port;
        // what earlier versions made: zonky's initdb -A trust, no password file
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(oldDataDir.resolve("postgres"))
                .setCleanDataDirectory(false).start()) {
            port = old.getPort();
        }
        Files.writeString(oldDataDir.resolve("postgres.port"), port + "\n");
        assertThat(Files.readString(oldDataDir.resolve("postgres/pg_hba.conf"))).contains("trust");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(oldDataDir,
                EmbeddedPostgresServer.Durability.TESTS_ONLY_NO_FSYNC)) {
            String password = Files.readString(oldDataDir.resolve("postgres.password")).strip();

            assertThatThrownBy(() -> EmbeddedPostgresServer.dataSource(port, "postgres", null).getConnection().close())
                    .isInstanceOf(SQLException.class);
            try (Connection connection = server.dataSource().getConnection()) {
                assertThat(connection.isValid(2)).isTrue();
            }
            assertThat(password).isNotBlank();
            assertThat(Files.readString(oldDataDir.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
        }
    }

    @Test
    void a_second_start_connects_to_the_running_server_and_leaves_it_running() {
        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir)) {
            assertThat(second.startedHere()).isFalse();
            assertThat(second.port()).isEqualTo(serverPort());
        }

        assertThat(database.isUp()).isTrue();
    }

    private static String setting(String name) {
        return query("SHOW " + name);
    }

    private static int serverPort() {
        return Integer.parseInt(query("SELECT inet_server_port()"));
    }

    private static String query(String sql) {
        return database.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }
}
