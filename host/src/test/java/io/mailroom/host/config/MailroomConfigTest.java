package io.mailroom.host.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailroomConfigTest {

    @Test
    void defaults_match_the_documented_values() {
        MailroomConfig config = MailroomConfig.from(Map.of("mailroom.home", "/opt/mailroom"));

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.dbUrl()).isEmpty();
        assertThat(config.dataDir()).isEqualTo(Path.of("/opt/mailroom/data"));
        assertThat(config.pluginsDir()).isEqualTo(Path.of("/opt/mailroom/plugins"));
        assertThat(config.pollFrequency()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.maxAttachmentSize()).isEqualTo(26_214_400L);
        assertThat(config.disabledPlugins()).isEmpty();
        assertThat(config.allowPrivateHosts()).as("private hosts refused unless allowed").isFalse();
    }

    @Test
    void private_hosts_are_allowed_by_variable_and_a_typo_is_refused() {
        Map<String, String> merged = ConfigKeys.merge(new Properties(),
                Map.of("MAILROOM_SOURCES_ALLOW_PRIVATE_HOSTS", "true"), new Properties());

        assertThat(MailroomConfig.from(merged).allowPrivateHosts()).isTrue();
        assertThatThrownBy(() -> MailroomConfig.from(Map.of("mailroom.sources.allow.private.hosts", "yes")))
                .hasMessageContaining("mailroom.sources.allow.private.hosts").hasMessageContaining("true or false");
    }

    @Test
    void environment_overrides_the_file_and_system_properties_override_both() {
        Properties file = new Properties();
        file.setProperty("mailroom.http.port", "9000");
        file.setProperty("mailroom.plugins.disabled", "pop3");
        Properties system = new Properties();
        system.setProperty("mailroom.data.dir", "/var/lib/mailroom");
        system.setProperty("java.version", "ignored");

        Map<String, String> merged = ConfigKeys.merge(file,
                Map.of("MAILROOM_HTTP_PORT", "9100", "MAILROOM_PLUGINS_DISABLED", "pop3, microsoft-oauth", "PATH", "/bin",
                        "MAILROOM_JAVA_OPTS", "-Xmx1g"),
                system);
        MailroomConfig config = MailroomConfig.from(merged);

        assertThat(config.httpPort()).isEqualTo(9100);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/mailroom"));
        assertThat(config.disabledPlugins()).containsExactlyInAnyOrder("pop3", "microsoft-oauth");
        assertThat(merged).doesNotContainKeys("path", "mailroom.java.opts");
    }

    @Test
    void an_invalid_value_names_its_key_and_variable() {
        assertThatThrownBy(() -> MailroomConfig.from(Map.of("mailroom.http.port", "eighty")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mailroom.http.port")
                .hasMessageContaining("MAILROOM_HTTP_PORT");
        assertThatThrownBy(() -> MailroomConfig.from(Map.of("mailroom.poll.frequency", "1")))
                .hasMessageContaining("mailroom.poll.frequency").hasMessageContaining("between");
    }

    @Test
    void the_default_batch_size_has_the_bounds_of_the_mailbox_field() {
        assertThat(MailroomConfig.from(Map.of("mailroom.max.emails.per.poll", "10000")).maxEmailsPerPoll()).isEqualTo(10_000);
        for (String bad : new String[] {"0", "10001", "100000", "many"}) {
            assertThatThrownBy(() -> MailroomConfig.from(Map.of("mailroom.max.emails.per.poll", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("mailroom.max.emails.per.poll")
                    .hasMessageContaining("MAILROOM_MAX_EMAILS_PER_POLL");
        }
    }

    @Test
    void schedule_and_sync_limits_have_defaults_and_bounds() {
        MailroomConfig config = MailroomConfig.from(Map.of());

        assertThat(config.scheduleMinInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.syncMaxConcurrent()).isEqualTo(4);
        assertThat(config.syncMaxPerUser()).isEqualTo(2);
        assertThatThrownBy(() -> MailroomConfig.from(Map.of("mailroom.sync.max.concurrent", "0")))
                .hasMessageContaining("mailroom.sync.max.concurrent");
        assertThatThrownBy(() -> MailroomConfig.from(Map.of("mailroom.schedule.min.interval", "0")))
                .hasMessageContaining("MAILROOM_SCHEDULE_MIN_INTERVAL");
    }

    @Test
    void the_chain_lease_has_a_default_and_bounds_and_a_variable() {
        assertThat(MailroomConfig.from(Map.of()).processingLease()).isEqualTo(Duration.ofMinutes(10));
        Map<String, String> merged = ConfigKeys.merge(new Properties(), Map.of("MAILROOM_PROCESSING_LEASE", "5"),
                new Properties());
        assertThat(MailroomConfig.from(merged).processingLease()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> MailroomConfig.from(Map.of("mailroom.processing.lease", "0")))
                .hasMessageContaining("mailroom.processing.lease").hasMessageContaining("between");
    }

    @Test
    void an_unknown_key_is_refused_so_typos_do_not_pass_silently() {
        assertThatThrownBy(() -> MailroomConfig.from(Map.of("mailroom.db.uri", "jdbc:postgresql://x/y")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mailroom.db.uri");
    }
}
