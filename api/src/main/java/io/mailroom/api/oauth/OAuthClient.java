package io.mailroom.api.oauth;

import io.mailroom.api.Settings;

import java.net.URI;

/**
 * A deployment's client registration with a provider.
 *
 * @param settings    the provider's validated settings, secrets opened (client id, secret, tenant…)
 * @param redirectUri the exact callback URI registered with the provider
 */
public record OAuthClient(Settings settings, URI redirectUri) {
}
