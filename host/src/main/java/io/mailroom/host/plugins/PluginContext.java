package io.mailroom.host.plugins;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.directory.Directory;
import io.mailroom.api.mailbox.Mailboxes;
import io.mailroom.api.mailbox.Notifier;
import io.mailroom.api.outbound.OutboundMail;
import io.mailroom.api.outbound.Templates;
import io.mailroom.api.source.ContentSpool;

import javax.net.SocketFactory;
import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The {@link ExtensionContext} of one plugin's extensions, made by {@link PluginContexts}.
 * {@code http} and {@code sockets} apply the installation's address rule
 * ({@link io.mailroom.host.network.PrivateAddressPolicy}); {@code scratchDirectory} and
 * {@code spool} are on the host's {@link ScratchSpace}; {@code directory} is the installation's
 * companies and contacts; {@code outboundMail} is the host's outbox, sending as the mailbox's
 * owner; {@code database} is the plugin's own schema ({@link PluginDatabases}), null for a plugin
 * that ships no migrations; {@code mailboxes}, {@code notifier} and {@code templates} are the
 * host's.
 */
public record PluginContext(String pluginId, Clock clock, HttpTransport http, SocketFactory sockets,
                            Path scratchDirectory, ContentSpool spool, Directory directory, OutboundMail outboundMail,
                            DataSource database, Mailboxes mailboxes, Notifier notifier, Templates templates)
        implements ExtensionContext {

    @Override
    public System.Logger logger(Class<?> type) {
        return System.getLogger("plugin." + pluginId + "." + type.getSimpleName());
    }

    @Override
    public DataSource database() {
        if (database == null) {
            throw new UnsupportedOperationException("plugin '" + pluginId + "' has no database: it ships no"
                    + " migrations under db/plugins/" + pluginId + "/");
        }
        return database;
    }
}
