package io.mailroom.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    private static Database database;

    @BeforeAll
    static void openFreshDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void open_with_a_url_migrates_the_schema_including_the_quartz_tables() {
        List<String> tables = database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .mapTo(String.class).list());
        assertThat(tables).contains("flyway_schema_history", "qrtz_job_details", "qrtz_triggers",
                "qrtz_cron_triggers", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks");

        boolean quartzApplied = database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT success FROM flyway_schema_history WHERE version = '2'")
                .mapTo(Boolean.class).one());
        assertThat(quartzApplied).isTrue();
    }

    public record Note(long id, String bodyText) {
        public Note(String bodyText) {
            this(0, bodyText);
        }
    }

    public interface Notes {
        @SqlUpdate("CREATE TABLE note (id bigserial PRIMARY KEY, body_text text NOT NULL)")
        void createTable();

        @SqlUpdate("INSERT INTO note (body_text) VALUES (:text)")
        void add(@Bind("text") String text);

        @SqlQuery("SELECT id, body_text FROM note WHERE body_text = :text")
        Optional<Note> find(@Bind("text") String text);
    }

    @Test
    void records_map_by_their_canonical_constructor_without_annotations() {
        Notes notes = database.jdbi().onDemand(Notes.class);
        notes.createTable();
        notes.add("hello");

        assertThat(notes.find("hello")).hasValueSatisfying(note -> {
            assertThat(note.bodyText()).isEqualTo("hello");
            assertThat(note.id()).isPositive();
        });
    }

    @Test
    void is_up_while_the_database_answers_and_down_once_closed() {
        Database another = TestDatabase.create();
        assertThat(another.isUp()).isTrue();

        another.close();

        assertThat(another.isUp()).isFalse();
    }

    @Test
    void reports_down_within_seconds_when_its_database_is_gone() throws Exception {
        String url = TestDatabase.freshDatabaseUrl();
        String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        try (Database doomed = Database.open(TestDatabase.config(url))) {
            assertThat(doomed.isUp()).isTrue();
            try (Connection admin = TestDatabase.server().dataSource(EmbeddedPostgresServer.MAINTENANCE_DATABASE).getConnection();
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE " + name + " WITH (FORCE)");
            }

            long started = System.nanoTime();
            assertThat(doomed.isUp()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void open_fails_fast_when_nothing_listens_at_the_url() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        long started = System.nanoTime();

        assertThatThrownBy(() -> Database.open(TestDatabase.config(
                "jdbc:postgresql://localhost:" + deadPort + "/mailroom?user=postgres")))
                .isInstanceOf(RuntimeException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
}
