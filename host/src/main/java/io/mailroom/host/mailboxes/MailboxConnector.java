package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.PermanentException;
import io.mailroom.api.Settings;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.MailSource;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.plugins.PluginContext;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.plugins.JdkHttpTransport;
import io.mailroom.host.secrets.SealedSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;

/**
 * Opens a connection to a mailbox's server through its source plugin: finds the source, opens the
 * sealed settings, and builds the credential. A source that logs in declares {@code username}
 * and {@code password} settings; they make the credential.
 */
public final class MailboxConnector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PluginHost plugins;
    private final SealedSettings sealed;
    private final Clock clock;
    private final JdkHttpTransport http = new JdkHttpTransport();

    public MailboxConnector(PluginHost plugins, SealedSettings sealed, Clock clock) {
        this.plugins = plugins;
        this.sealed = sealed;
        this.clock = clock;
    }

    public SourceConnection connect(Mailbox mailbox) {
        MailSource source = source(mailbox.source());
        Map<String, String> settings = sealed.open(storedSettings(mailbox), source.settings(), mailbox.secretOwner());
        Credential credential = Credential.password(settings.getOrDefault("username", mailbox.email()),
                settings.getOrDefault("password", ""));
        PluginContext context = new PluginContext(plugins.pluginOf(MailSource.class, source.id()).orElseThrow(),
                clock, http);
        return source.connect(new MailboxAccount(mailbox.id(), mailbox.email(), Settings.of(settings), credential), context);
    }

    /** The source plugin, or a permanent failure naming the missing source. */
    public MailSource source(String id) {
        return plugins.extension(MailSource.class, id).orElseThrow(() ->
                new PermanentException("the mail source '" + id + "' is not available: its plugin is not started"));
    }

    /** The stored settings object: plain values, secrets sealed. */
    public static Map<String, String> storedSettings(Mailbox mailbox) {
        try {
            return JSON.readValue(mailbox.settings(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("mailbox " + mailbox.id() + " has unreadable settings", e);
        }
    }

    public static String settingsJson(Map<String, String> settings) {
        try {
            return JSON.writeValueAsString(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
