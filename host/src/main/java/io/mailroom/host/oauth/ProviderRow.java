package io.mailroom.host.oauth;

/**
 * What an admin set for a provider through the API. {@code settings} is a JSON object, secrets
 * sealed for {@code oauth-provider:<id>}; {@code reason} says why the last credential check failed.
 */
public record ProviderRow(String id, boolean enabled, String settings, String reason) {
}
