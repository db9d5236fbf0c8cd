package io.mailroom.host.cli;

import io.mailroom.host.auth.ApiTokens;
import io.mailroom.host.auth.User;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import io.mailroom.host.auth.UserDao;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands as an operator runs them; configuration comes from system properties here. */
class CommandsTest {

    @TempDir
    Path dir;
    private String url;

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
    }

    @Test
    void token_create_for_the_superadmin_prints_a_token_that_authenticates() {
        CommandRun run = CommandRun.of("token", "create", "--superadmin");

        assertThat(run.exit()).isZero();
        String token = run.out().trim();
        try (Database database = Database.open(TestDatabase.config(url))) {
            Optional<User> owner = database.jdbi().onDemand(UserDao.class).findByTokenHash(ApiTokens.hash(token));
            assertThat(owner).map(User::isSuperadmin).contains(true);
        }
    }

    @Test
    void token_create_for_an_unknown_user_fails_and_says_so() {
        CommandRun run = CommandRun.of("token", "create", "--user", "4242");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("4242");
    }

    @Test
    void token_create_needs_to_know_for_whom() {
        assertThat(CommandRun.of("token", "create").exit()).isEqualTo(2);
    }

    @Test
    void an_invalid_setting_stops_a_command_with_the_key_named() {
        System.setProperty("mailroom.http.port", "nope");
        try {
            CommandRun run = CommandRun.of("plugins");

            assertThat(run.exit()).isEqualTo(78);
            assertThat(run.err()).contains("mailroom.http.port");
        } finally {
            System.clearProperty("mailroom.http.port");
        }
    }

    @Test
    void sync_of_a_mailbox_that_does_not_exist_fails_and_says_so() {
        CommandRun run = CommandRun.of("sync", "--mailbox", "4242");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("No mailbox matches");
    }

    @Test
    void plugins_lists_an_empty_directory_with_a_header_only() {
        CommandRun run = CommandRun.of("plugins");

        assertThat(run.exit()).isZero();
        assertThat(run.out().lines()).hasSize(1).first().asString().startsWith("ID");
    }
}
