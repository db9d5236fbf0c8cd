package io.mailroom.host.demo;

import io.mailroom.host.config.MailroomConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The configuration the demo runs with. It keeps only what says where this installation is and
 * how to reach it — its home, the HTTP port, the plugins and the plugins switched off — and
 * takes everything else from the defaults, so that nothing of the real installation's data can
 * be reached from the demo: the database is the embedded one in the demo directory (a
 * configured {@code mailroom.db.url} is ignored), the master key is generated there (a
 * configured {@code mailroom.secret.key} is not used), a first admin is created with a fresh
 * token (no {@code mailroom.admin.token}), and there are no OAuth client registrations, no public
 * URL, no notifications mailbox and no metrics port.
 *
 * <p>Private addresses are allowed here, and only here: the demo's mail server is on loopback.
 */
final class DemoConfig {

    private DemoConfig() {
    }

    /** @param httpPort the port to listen on (0: any free one) */
    static MailroomConfig of(MailroomConfig configured, Path demoDir, int httpPort) {
        Map<String, String> settings = new HashMap<>();
        settings.put("mailroom.home", configured.home().toString());
        settings.put("mailroom.http.port", Integer.toString(httpPort));
        settings.put("mailroom.plugins.dir", configured.pluginsDir().toString());
        settings.put("mailroom.plugins.disabled", String.join(",", configured.disabledPlugins()));
        settings.put("mailroom.data.dir", demoDir.toString());
        settings.put("mailroom.sources.allow.private.hosts", "true");
        // a reply sent from the pages leaves within a second, not at the next look at the outbox
        settings.put("mailroom.outbox.poll.ms", "1000");
        return MailroomConfig.from(settings);
    }

    /** What the user configured that the demo leaves aside, said once at start so nobody wonders. */
    static String ignored(MailroomConfig configured) {
        StringBuilder ignored = new StringBuilder();
        configured.dbUrl().ifPresent(url -> ignored.append("mailroom.db.url"));
        if (configured.secretKey().isPresent()) {
            ignored.append(ignored.isEmpty() ? "" : ", ").append("mailroom.secret.key");
        }
        if (configured.adminToken().isPresent()) {
            ignored.append(ignored.isEmpty() ? "" : ", ").append("mailroom.admin.token");
        }
        return ignored.toString();
    }
}
