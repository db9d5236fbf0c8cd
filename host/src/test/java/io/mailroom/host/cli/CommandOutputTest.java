package io.mailroom.host.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailroom.host.schedule.ScriptedSource;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code sync} and {@code monitor} print: their result, not the plugin loader's chatter, in columns that line up. */
class CommandOutputTest {

    @TempDir
    Path dir;
    private String url;
    private final Map<String, Level> levelsBefore = new HashMap<>();

    @BeforeEach
    void configure() {
        url = TestDatabase.freshDatabaseUrl();
        System.setProperty("mailroom.db.url", url);
        System.setProperty("mailroom.data.dir", dir.resolve("data").toString());
        System.setProperty("mailroom.plugins.dir", dir.resolve("plugins").toString());
    }

    @AfterEach
    void forget() {
        System.clearProperty("mailroom.db.url");
        System.clearProperty("mailroom.data.dir");
        System.clearProperty("mailroom.plugins.dir");
        levelsBefore.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    @Test
    void sync_prints_its_result_without_the_plugin_loaders_info_lines() {
        // As the distribution's logback.xml leaves them: at INFO.
        for (String name : QuietLoaders.LOGGERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levelsBefore.put(name, logger.getLevel());
            logger.setLevel(Level.INFO);
        }
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        CommandRun run;
        try {
            run = CommandRun.of("sync", "--all");
        } finally {
            root.detachAppender(logged);
        }

        assertThat(run.err()).contains("No mailbox matches");
        assertThat(logged.list).noneMatch(event -> !event.getLevel().isGreaterOrEqual(Level.WARN)
                && QuietLoaders.LOGGERS.stream().anyMatch(name -> event.getLoggerName().startsWith(name)));
    }

    @Test
    void sync_prints_a_plain_progress_line_per_batch_when_not_on_a_terminal() {
        ScriptedSource.install(dir);
        long id;
        try (Database database = Database.open(TestDatabase.config(url))) {
            id = database.jdbi().withHandle(handle -> handle.createUpdate("INSERT INTO mailboxes "
                            + "(name, email, source, settings, max_messages_per_poll) VALUES ('p', 'progress@example.com', "
                            + "'scripted', CAST(:settings AS jsonb), 10)")
                    .bind("settings", "{\"mode\": \"ok\", \"delay_ms\": \"0\", \"messages\": \"35\", \"batch_delay_ms\": \"0\"}")
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        }

        CommandRun run = CommandRun.of("sync", "--mailbox", Long.toString(id));

        String label = "mailbox " + id + " progress@example.com";
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("\r");
        assertThat(run.out().lines().toList()).containsExactly(
                label + ": 10/35 found, 10 stored",
                label + ": 20/35 found, 20 stored",
                label + ": 30/35 found, 30 stored",
                label + ": 35/35 found, 35 stored",
                label + ": ok found=35 stored=35 skipped=0 quarantined=0");
    }

    @Test
    void the_progress_bar_fills_as_messages_are_found() {
        assertThat(ProgressPrinter.bar(new io.mailroom.host.pipeline.ImportProgress(0, 0, 0)))
                .isEqualTo("[##############################] 100% 0/0 found, 0 stored");
        assertThat(ProgressPrinter.bar(new io.mailroom.host.pipeline.ImportProgress(10, 9, 40)))
                .isEqualTo("[#######-----------------------] 25% 10/40 found, 9 stored");
    }

    @Test
    void monitor_columns_line_up_whatever_the_widths_of_the_values() {
        try (Database database = Database.open(TestDatabase.config(url))) {
            database.jdbi().useHandle(handle -> {
                handle.execute("INSERT INTO mailboxes (name, email, source) VALUES ('a', 'a@b.example', 'imap')");
                handle.execute("INSERT INTO mailboxes (name, email, source, status, last_error, consecutive_failures) "
                        + "VALUES ('b', 'a-rather-long-address-for-support-and-billing@customers.example.com', 'imap', "
                        + "'auth_failed', 'the server refused the login:\nline two', 12345)");
            });
        }

        CommandRun run = CommandRun.of("monitor");

        assertThat(run.exit()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        String header = lines.getFirst();
        for (String column : List.of("EMAIL", "STATUS", "LAST SUCCESS", "FAILURES", "NEXT SYNC", "LAST ERROR")) {
            int at = header.indexOf(column);
            for (String line : lines.subList(1, lines.size())) {
                assertThat(line.charAt(at - 1)).as("%s starts at %d in: %s", column, at, line).isEqualTo(' ');
                assertThat(line.charAt(at)).as("%s starts at %d in: %s", column, at, line).isNotEqualTo(' ');
            }
        }
        assertThat(lines.get(2)).endsWith("the server refused the login: line two");
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    }
}
