package io.mailroom.api.oauth;

import io.mailroom.api.Settings;

import java.net.URI;
import java.util.Objects;

/**
 * An installation's client registration with a provider, as the host hands it to token calls.
 * {@link #toString()} shows no secret.
 *
 * @param settings    the provider's validated installation settings, secrets opened
 * @param redirectUri the exact callback URI registered with the provider
 * @param endpoints   the provider's endpoints for these settings
 */
public record OAuthClient(Settings settings, URI redirectUri, OAuthEndpoints endpoints) {

    public OAuthClient {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(endpoints, "endpoints");
    }

    public String clientId() {
        return settings.get(OAuthSettings.CLIENT_ID);
    }

    /** The client secret, or {@code null} for a public client. */
    public String clientSecret() {
        return settings.find(OAuthSettings.CLIENT_SECRET).filter(s -> !s.isEmpty()).orElse(null);
    }
}
