package io.mailroom.host;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mailroom.host.auth.AdminBootstrap;
import io.mailroom.host.auth.Users;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.http.ApiServer;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.ServiceRoutes;
import io.mailroom.host.http.UserRoutes;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.mailboxes.MailboxConnector;
import io.mailroom.host.mailboxes.MailboxRoutes;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.messages.MessageRoutes;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.pipeline.MailboxSync;
import io.mailroom.host.pipeline.Reprocessing;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SealedSettings;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.UserDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * A running Mailroom: the database, the plugins, and the HTTP API, wired by hand. Closing it
 * stops them in reverse order.
 */
public final class Mailroom implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Mailroom.class);

    private final Database database;
    private final PluginHost plugins;
    private final ApiServer server;
    private final Mailboxes mailboxes;
    private final MailboxSync sync;

    private Mailroom(Database database, PluginHost plugins, ApiServer server, Mailboxes mailboxes, MailboxSync sync) {
        this.database = database;
        this.plugins = plugins;
        this.server = server;
        this.mailboxes = mailboxes;
        this.sync = sync;
    }

    /** Starts everything; {@code out} receives the first admin token when one is created. */
    public static Mailroom start(MailroomConfig config, PrintStream out) {
        Database database = Database.open(config);
        PluginHost plugins = null;
        try {
            SecretSealer sealer = new SecretSealer(MasterKeys.load(config.secretKey(), config.dataDir()));
            plugins = startPlugins(config, database);
            new AdminBootstrap(database.jdbi()).run(config.adminToken(), out);

            Jdbi jdbi = database.jdbi();
            Clock clock = Clock.systemUTC();
            SealedSettings sealedSettings = new SealedSettings(sealer);
            MailboxConnector connector = new MailboxConnector(plugins, sealedSettings, clock);
            MessageParser parser = new MessageParser(config.maxAttachmentSize());
            MailboxSync sync = new MailboxSync(database, connector, parser, clock);
            Mailboxes mailboxes = new Mailboxes(jdbi, plugins, sealedSettings, config.maxEmailsPerPoll());

            PrometheusMeterRegistry metrics = newMetrics();
            ApiServer server = new ApiServer(new Authentication(jdbi.onDemand(UserDao.class)), metrics,
                    List.of(new ServiceRoutes(database::isUp, metrics, plugins),
                            new UserRoutes(new Users(jdbi), jdbi),
                            new MailboxRoutes(mailboxes, connector, sync, jdbi),
                            new MessageRoutes(jdbi, new Reprocessing(jdbi, parser, clock))));
            server.start(config.httpPort());
            LOG.info("Mailroom is listening on port {}", server.port());
            return new Mailroom(database, plugins, server, mailboxes, sync);
        } catch (RuntimeException e) {
            if (plugins != null) {
                plugins.close();
            }
            database.close();
            throw e;
        }
    }

    /** Loads the plugins and runs the migrations of each one that started. */
    static PluginHost startPlugins(MailroomConfig config, Database database) {
        PluginHost plugins = new PluginHost(config.pluginsDir(), config.disabledPlugins());
        plugins.start();
        plugins.plugins().stream().filter(plugin -> "started".equals(plugin.state()))
                .forEach(plugin -> database.migratePlugin(plugin.id(), plugins.classLoader(plugin.id())));
        return plugins;
    }

    private static PrometheusMeterRegistry newMetrics() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        return metrics;
    }

    public int port() {
        return server.port();
    }

    public Database database() {
        return database;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public Mailboxes mailboxes() {
        return mailboxes;
    }

    public MailboxSync sync() {
        return sync;
    }

    public ApiServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        plugins.close();
        database.close();
    }
}
