package io.mailroom.host.oauth;

import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProvider;

/**
 * A provider as this installation sees it now.
 *
 * @param client the client registration, or null when the settings are incomplete or broken
 * @param reason why the provider is not enabled, or null when it is
 */
record ProviderState(OAuthProvider provider, OAuthClient client, String reason) {

    boolean enabled() {
        return reason == null;
    }
}
