package io.mailroom.host.plugins;

import io.mailroom.api.directory.Directory;
import io.mailroom.api.mailbox.Mailboxes;
import io.mailroom.api.mailbox.Notifier;
import io.mailroom.api.outbound.OutboundMail;
import io.mailroom.api.outbound.Templates;
import io.mailroom.host.network.GuardedSocketFactory;
import io.mailroom.host.network.PrivateAddressPolicy;

import java.time.Clock;
import java.util.Objects;

/**
 * Makes the {@link PluginContext} of a plugin's extensions: the one place that knows what a
 * context holds, for sources, sinks, rule actions and routes alike. Thread-safe.
 */
public final class PluginContexts {

    private final Clock clock;
    private final JdkHttpTransport http;
    private final GuardedSocketFactory sockets;
    private final ScratchSpace scratch;
    private final Directory directory;
    private final OutboundMail outboundMail;
    private final Mailboxes mailboxes;
    private final Notifier notifier;
    private final Templates templates;
    private final PluginDatabases databases;

    public PluginContexts(Clock clock, PrivateAddressPolicy addresses, ScratchSpace scratch, Directory directory,
                          OutboundMail outboundMail, Mailboxes mailboxes, Notifier notifier, Templates templates,
                          PluginDatabases databases) {
        this.clock = Objects.requireNonNull(clock);
        this.http = new JdkHttpTransport(addresses);
        this.sockets = new GuardedSocketFactory(addresses);
        this.scratch = Objects.requireNonNull(scratch);
        this.directory = Objects.requireNonNull(directory);
        this.outboundMail = Objects.requireNonNull(outboundMail);
        this.mailboxes = Objects.requireNonNull(mailboxes);
        this.notifier = Objects.requireNonNull(notifier);
        this.templates = Objects.requireNonNull(templates);
        this.databases = Objects.requireNonNull(databases);
    }

    /** The context of the extensions of plugin {@code pluginId}. */
    public PluginContext forPlugin(String pluginId) {
        return new PluginContext(pluginId, clock, http, sockets, scratch.pluginDirectory(pluginId), scratch.spool(),
                directory, outboundMail, databases.database(pluginId).orElse(null), mailboxes, notifier, templates);
    }
}
