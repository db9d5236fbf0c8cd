package io.mailroom.host;

import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.mailboxes.MailboxConnector;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.pipeline.MailboxSync;
import io.mailroom.host.pipeline.Reprocessing;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.schedule.Maintenance;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SealedSettings;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.store.Database;

import java.time.Clock;

/**
 * Mailroom without its HTTP server: the database, the plugins and the services built on them,
 * wired by hand. The server ({@link Mailroom}) and the commands that work on mailboxes use it.
 */
public final class MailroomCore implements AutoCloseable {

    private final Database database;
    private final PluginHost plugins;
    private final MailboxConnector connector;
    private final Mailboxes mailboxes;
    private final MailboxSync sync;
    private final Reprocessing reprocessing;
    private final Maintenance maintenance;

    private MailroomCore(Database database, PluginHost plugins, MailroomConfig config) {
        this.database = database;
        this.plugins = plugins;
        Clock clock = Clock.systemUTC();
        SealedSettings sealed = new SealedSettings(new SecretSealer(MasterKeys.load(config.secretKey(), config.dataDir())));
        MessageParser parser = new MessageParser(config.maxAttachmentSize());
        this.connector = new MailboxConnector(plugins, sealed, clock);
        this.mailboxes = new Mailboxes(database.jdbi(), plugins, sealed, config.maxEmailsPerPoll());
        this.sync = new MailboxSync(database, connector, parser, clock);
        this.reprocessing = new Reprocessing(database.jdbi(), parser, clock);
        this.maintenance = new Maintenance(database.jdbi());
    }

    /** Opens the database, starts the plugins and runs the migrations of each one that started. */
    public static MailroomCore open(MailroomConfig config) {
        Database database = Database.open(config);
        PluginHost plugins = null;
        try {
            plugins = new PluginHost(config.pluginsDir(), config.disabledPlugins());
            plugins.start();
            for (var plugin : plugins.plugins()) {
                if (plugin.started()) {
                    database.migratePlugin(plugin.id(), plugins.classLoader(plugin.id()));
                }
            }
            return new MailroomCore(database, plugins, config);
        } catch (RuntimeException e) {
            if (plugins != null) {
                plugins.close();
            }
            database.close();
            throw e;
        }
    }

    public Database database() {
        return database;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public MailboxConnector connector() {
        return connector;
    }

    public Mailboxes mailboxes() {
        return mailboxes;
    }

    public MailboxSync sync() {
        return sync;
    }

    public Reprocessing reprocessing() {
        return reprocessing;
    }

    /** The cluster-wide maintenance pause. */
    public Maintenance maintenance() {
        return maintenance;
    }

    @Override
    public void close() {
        try {
            plugins.close();
        } finally {
            database.close();
        }
    }
}
