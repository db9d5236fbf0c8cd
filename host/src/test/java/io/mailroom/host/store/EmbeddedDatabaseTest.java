package io.mailroom.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailroom.host.config.MailroomConfig;
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
