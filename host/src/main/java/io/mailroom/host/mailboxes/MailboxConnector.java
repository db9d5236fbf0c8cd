package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.AddressRefusedException;
import io.mailroom.api.PermanentException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.MailSource;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.plugins.PluginContext;
import io.mailroom.host.plugins.PluginContexts;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.secrets.SealedSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Opens a connection to a mailbox's server through its source plugin: finds the source, opens the
 * sealed settings, and builds the credential. A source that logs in declares {@code username}
 * and {@code password} settings; they make the credential, or, for a mailbox whose {@code auth}
 * is {@code oauth:<provider>}, the username and a fresh access token ({@link OAuthLogin}).
 *
 * <p>The plugin connects through the host's sockets and HTTP, which apply the
 * {@link PrivateAddressPolicy} to every address at connect time. The {@code host} setting is also
 * checked here before the plugin is called, and at save time, for a clear early answer.
 */
public final class MailboxConnector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PluginHost plugins;
    private final SealedSettings sealed;
    private final PrivateAddressPolicy addresses;
    private final OAuthLogin oauth;
    private final PluginContexts contexts;

    public MailboxConnector(PluginHost plugins, SealedSettings sealed, PrivateAddressPolicy addresses,
                            OAuthLogin oauth, PluginContexts contexts) {
        this.oauth = oauth;
        this.contexts = contexts;
        this.plugins = plugins;
        this.sealed = sealed;
        this.addresses = addresses;
    }

    public SourceConnection connect(Mailbox mailbox) {
        MailSource source = source(mailbox.source());
        Map<String, String> settings = sealed.open(storedSettings(mailbox), source.mailboxSettings(), mailbox.secretOwner());
        if (settings.get("host") != null) {
            try {
                addresses.checkHost(settings.get("host"));
            } catch (AddressRefusedException e) {
                throw new PermanentException(e.getMessage(), e);
            }
        }
        String username = settings.get("username") == null || settings.get("username").isBlank() ? mailbox.email()
                : settings.get("username");
        // OAuth: the token is fresh (refreshed ahead of expiry) and presented as the mailbox's login
        // name, which for a shared mailbox is not the account that authorized
        Credential credential = mailbox.auth() != null && mailbox.auth().startsWith("oauth:")
                ? oauth.credential(mailbox, username)
                : Credential.password(username, settings.getOrDefault("password", ""));
        String pluginId = plugins.pluginOf(MailSource.class, source.id()).orElseThrow();
        PluginContext context = contexts.forPlugin(pluginId);
        Settings opened = Settings.of(settings, source.mailboxSettings().stream().filter(SettingDescriptor::secret)
                .map(SettingDescriptor::name).collect(Collectors.toSet()));
        return source.connect(new MailboxAccount(mailbox.id(), mailbox.email(), opened, credential), context);
    }

    /**
     * Refuses, as a 400 on {@code settings.host}, a {@code host} setting in {@code given} that
     * resolves to an address the installation does not connect to.
     */
    public void requireAllowedHost(Map<String, Object> given) {
        if (given != null && given.get("host") instanceof String host && !host.isBlank()) {
            try {
                addresses.checkHost(host.strip());
            } catch (AddressRefusedException e) {
                throw ApiException.invalid("settings.host", e.getMessage());
            }
        }
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
