package io.mailroom.host.demo;

import io.mailroom.host.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoDirectoryTest {

    @TempDir
    Path home;

    @Test
    void the_demo_directory_is_beside_the_data_directory_never_in_it() {
        assertThat(DemoDirectory.beside(home.resolve("data"))).isEqualTo(home.resolve("data-demo"));
        assertThat(DemoDirectory.beside(home.resolve("var/mailroom/"))).isEqualTo(home.resolve("var/mailroom-demo"));
    }

    @Test
    void each_start_empties_the_demo_directory_but_keeps_the_postgres_binaries() throws Exception {
        Path dir = home.resolve("data-demo");
        try (DemoDirectory first = DemoDirectory.claim(dir)) {
            Files.createDirectories(dir.resolve("postgres/base"));
            Files.writeString(dir.resolve("postgres/base/1"), "rows");
            Files.writeString(dir.resolve("master.key"), "key");
            Files.createDirectories(dir.resolve("postgres-bin/bin"));
            Files.writeString(dir.resolve("postgres-bin/bin/postgres"), "binary");
        }

        try (DemoDirectory second = DemoDirectory.claim(dir)) {
            assertThat(second.path()).isEqualTo(dir);
            assertThat(dir.resolve("postgres")).doesNotExist();
            assertThat(dir.resolve("master.key")).doesNotExist();
            assertThat(dir.resolve("postgres-bin/bin/postgres")).hasContent("binary");
        }
    }

    @Test
    void a_directory_the_demo_did_not_make_is_never_emptied() throws Exception {
        Path dir = home.resolve("data-demo");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("thesis.tex"), "years of work");

        assertThatThrownBy(() -> DemoDirectory.claim(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("was not made by 'mailroom serve --demo'");
        assertThat(dir.resolve("thesis.tex")).hasContent("years of work");
    }

    @Test
    void a_second_demo_on_the_same_directory_is_refused_while_the_first_runs() throws Exception {
        Path dir = home.resolve("data-demo");
        try (DemoDirectory running = DemoDirectory.claim(dir)) {
            Files.writeString(dir.resolve("in-use"), "the running demo's file");

            assertThatThrownBy(() -> DemoDirectory.claim(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another 'mailroom serve --demo' is running");
            assertThat(dir.resolve("in-use")).exists();
        }
    }
}
