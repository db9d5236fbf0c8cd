package io.mailroom.host.demo;

import io.mailroom.host.config.MailroomConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DemoConfigTest {

    @TempDir
    Path home;

    @Test
    void the_demo_keeps_where_the_installation_is_and_nothing_that_reaches_its_data() {
        MailroomConfig configured = MailroomConfig.from(Map.ofEntries(
                Map.entry("mailroom.home", home.toString()),
                Map.entry("mailroom.http.port", "9090"),
                Map.entry("mailroom.plugins.dir", "my-plugins"),
                Map.entry("mailroom.plugins.disabled", "pop3"),
                Map.entry("mailroom.db.url", "jdbc:postgresql://db.internal/mailroom"),
                Map.entry("mailroom.db.password", "production"),
                Map.entry("mailroom.secret.key", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI="),
                Map.entry("mailroom.admin.token", "mr_production"),
                Map.entry("mailroom.public.url", "https://mail.example.com"),
                Map.entry("mailroom.notifications.mailbox", "7"),
                Map.entry("mailroom.metrics.port", "9091")));
        Path demoDir = home.resolve("data-demo");

        MailroomConfig demo = DemoConfig.of(configured, demoDir, 9090);

        assertThat(demo.home()).isEqualTo(configured.home());
        assertThat(demo.httpPort()).isEqualTo(9090);
        assertThat(demo.pluginsDir()).isEqualTo(home.resolve("my-plugins"));
        assertThat(demo.disabledPlugins()).isEqualTo(Set.of("pop3"));
        assertThat(demo.dataDir()).isEqualTo(demoDir);
        assertThat(demo.dbUrl()).as("the embedded database in the demo directory").isEmpty();
        assertThat(demo.dbPassword()).isEmpty();
        assertThat(demo.secretKey()).as("a key generated in the demo directory").isEmpty();
        assertThat(demo.adminToken()).as("a fresh token for a fresh admin").isEmpty();
        assertThat(demo.publicUrl()).isEmpty();
        assertThat(demo.notificationsMailbox()).isEmpty();
        assertThat(demo.metricsPort()).isEmpty();
        assertThat(demo.allowPrivateHosts()).as("the demo's mail server is on loopback").isTrue();
        assertThat(configured.allowPrivateHosts()).isFalse();
        assertThat(DemoConfig.ignored(configured))
                .isEqualTo("mailroom.db.url, mailroom.secret.key, mailroom.admin.token");
    }
}
