package io.mailroom.host.oauth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.oauth.OAuthSettings;
import io.mailroom.host.config.OAuthConfig;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.plugins.SettingsException;
import io.mailroom.host.plugins.SettingsValidator;
import io.mailroom.host.secrets.SealedSettings;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The OAuth providers of this installation: their settings (the configuration's, overridden by
 * what an admin set through the API), whether each is enabled and why not, and the exact redirect
 * URI to register with each.
 *
 * <p>A provider is enabled when its plugin is started, its required settings are present, an admin
 * has not switched it off, and the last check of its client credentials did not fail.
 */
public final class OAuthProviders {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OAuthProviders.class);

    private final Jdbi jdbi;
    private final PluginHost plugins;
    private final SealedSettings sealed;
    private final OAuthConfig config;
    private final Supplier<String> publicUrl;

    /** {@code publicUrl}: where browsers reach this server, without a trailing slash. */
    public OAuthProviders(Jdbi jdbi, PluginHost plugins, SealedSettings sealed, OAuthConfig config,
                          Supplier<String> publicUrl) {
        this.jdbi = jdbi;
        this.plugins = plugins;
        this.sealed = sealed;
        this.config = config;
        this.publicUrl = publicUrl;
    }

    /**
     * Fails start-up on a configured setting a loaded provider does not declare; warns of the keys
     * of providers that are not loaded.
     */
    public void requireKnownConfiguration() {
        config.requireKnown(plugins.extensions(OAuthProvider.class).stream().collect(Collectors.toMap(OAuthProvider::id,
                        p -> p.installationSettings().stream().map(SettingDescriptor::name).collect(Collectors.toSet()))))
                .forEach(key -> LOG.warn("{} names an OAuth provider that is not loaded (its plugin is disabled, failed "
                        + "or missing); it is ignored", key));
    }

    public List<OAuthProvider> all() {
        return plugins.extensions(OAuthProvider.class);
    }

    public Optional<OAuthProvider> find(String id) {
        return plugins.extension(OAuthProvider.class, id);
    }

    /** The exact callback URI of a provider. */
    public URI redirectUri(String id) {
        return URI.create(publicUrl.get() + "/api/oauth/" + id + "/callback");
    }

    /** The provider's state now; a provider no started plugin serves has none. */
    public Optional<ProviderState> state(String id) {
        return find(id).map(this::state);
    }

    /** Why mailboxes with {@code auth} cannot log in now, or empty when they can (or use a password). */
    public Optional<String> unavailable(String auth) {
        if (auth == null || !auth.startsWith("oauth:")) {
            return Optional.empty();
        }
        String id = auth.substring("oauth:".length());
        Optional<ProviderState> state = state(id);
        if (state.isEmpty()) {
            return Optional.of("the OAuth provider '" + id + "' is not available: the plugin that serves it is not started");
        }
        return Optional.ofNullable(state.get().reason()).map(reason -> "the OAuth provider '" + id + "' is not enabled: "
                + reason);
    }

    /** The client registration of an enabled provider, or a 404 (unknown) / 409 (not enabled) for the API. */
    public ProviderState enabled(String id) {
        ProviderState state = state(id).orElseThrow(() -> ApiException.notFound("OAuth provider " + id));
        if (!state.enabled()) {
            throw new ApiException(409, "provider_disabled", "the OAuth provider '" + id + "' is not enabled: "
                    + state.reason(), Map.of());
        }
        return state;
    }

    ProviderState state(OAuthProvider provider) {
        if (provider.installationSettings().stream().noneMatch(s -> s.name().equals(OAuthSettings.CLIENT_ID))) {
            return new ProviderState(provider, null, "the provider declares no " + OAuthSettings.CLIENT_ID
                    + " setting, which every token request needs");
        }
        Optional<ProviderRow> row = jdbi.onDemand(ProviderDao.class).find(provider.id());
        Map<String, String> values;
        try {
            values = validated(provider, merged(provider, row));
        } catch (SettingsException e) {
            return new ProviderState(provider, null, "settings incomplete: " + e.getMessage());
        } catch (RuntimeException e) {
            return new ProviderState(provider, null, "its stored settings cannot be read: " + e.getMessage());
        }
        OAuthClient client;
        try {
            client = client(provider, values);
        } catch (RuntimeException e) {
            return new ProviderState(provider, null, "its endpoints are not valid: " + e.getMessage());
        }
        if (row.isPresent() && !row.get().enabled()) {
            return new ProviderState(provider, client, "switched off by an admin");
        }
        if (row.isPresent() && row.get().reason() != null) {
            return new ProviderState(provider, client, row.get().reason());
        }
        return new ProviderState(provider, client, null);
    }

    /** Whether an admin left the provider switched on (the default). */
    boolean switchedOn(OAuthProvider provider) {
        return jdbi.onDemand(ProviderDao.class).find(provider.id()).map(ProviderRow::enabled).orElse(true);
    }

    /** The settings as the API shows them: no secret, only whether it is set. */
    public Map<String, Object> shownSettings(OAuthProvider provider) {
        Map<String, String> values;
        try {
            values = merged(provider, jdbi.onDemand(ProviderDao.class).find(provider.id()));
        } catch (RuntimeException e) {
            values = Map.of();
        }
        Map<String, String> withDefaults = new LinkedHashMap<>();
        for (SettingDescriptor setting : provider.installationSettings()) {
            String value = values.getOrDefault(setting.name(), setting.defaultValue());
            if (value != null) {
                withDefaults.put(setting.name(), value);
            }
        }
        return SealedSettings.redacted(withDefaults, provider.installationSettings());
    }

    /**
     * Saves an admin's change: {@code given} settings over the stored ones (a null value removes
     * one), and the switch. The caller has checked the credentials when the provider is to be
     * enabled and passes the outcome as {@code reason}.
     */
    void save(OAuthProvider provider, boolean enabled, Map<String, String> stored, String reason) {
        jdbi.onDemand(ProviderDao.class).save(provider.id(), enabled,
                json(sealed.seal(stored, provider.installationSettings(), secretOwner(provider.id()))), reason);
    }

    /** The admin's stored settings, opened, with {@code given} over them; checked against the declaration. */
    Map<String, String> changedSettings(OAuthProvider provider, Map<String, Object> given) {
        Map<String, Object> merged = new LinkedHashMap<>(stored(provider, jdbi.onDemand(ProviderDao.class).find(provider.id())));
        if (given != null) {
            given.forEach((name, value) -> {
                if (value == null) {
                    merged.remove(name);
                } else {
                    merged.put(name, value);
                }
            });
        }
        // unknown names and wrong types fail now; a missing required value may come from the configuration
        Map<String, String> checked = new LinkedHashMap<>();
        List<SettingDescriptor> optional = provider.installationSettings().stream()
                .map(s -> new SettingDescriptor(s.name(), s.type(), false, null, s.secret(), s.choices(), s.help(),
                        s.min(), s.max()))
                .toList();
        checked.putAll(new SettingsValidator(optional).validate("settings", merged));
        return checked;
    }

    /** A client for {@code values} (validated settings), to check credentials before saving them. */
    OAuthClient client(OAuthProvider provider, Map<String, String> values) {
        Settings settings = Settings.of(values, provider.installationSettings().stream().filter(SettingDescriptor::secret)
                .map(SettingDescriptor::name).collect(Collectors.toSet()));
        return new OAuthClient(settings, redirectUri(provider.id()), provider.endpoints(settings));
    }

    /** The configuration's values with the admin's over them, checked (defaults filled in). */
    Map<String, String> validated(OAuthProvider provider, Map<String, String> values) {
        return new SettingsValidator(provider.installationSettings()).validate("settings", new LinkedHashMap<>(values));
    }

    Map<String, String> merged(OAuthProvider provider, Optional<ProviderRow> row) {
        Map<String, String> values = new LinkedHashMap<>();
        for (SettingDescriptor setting : provider.installationSettings()) {
            config.value(provider.id(), setting.name()).ifPresent(value -> values.put(setting.name(), value));
        }
        values.putAll(stored(provider, row));
        return values;
    }

    private Map<String, String> stored(OAuthProvider provider, Optional<ProviderRow> row) {
        if (row.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, String> stored = JSON.readValue(row.get().settings(), new TypeReference<>() {
            });
            return sealed.open(stored, provider.installationSettings(), secretOwner(provider.id()));
        } catch (IOException e) {
            throw new UncheckedIOException("the stored settings of OAuth provider " + provider.id() + " are unreadable", e);
        }
    }

    /** The owner the installation settings of provider {@code id} are sealed for (each for {@code <owner>:<name>}). */
    public static String secretOwner(String id) {
        return "oauth-provider:" + id;
    }

    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
