package io.mailroom.api.oauth;

import io.mailroom.api.Settings;

import java.net.URI;
import java.util.Objects;

/**
 * Where a provider's server answers.
 *
 * @param authorization the authorization endpoint the admin's browser is sent to
 * @param token         the token endpoint (code exchange and refresh)
 * @param userinfo      the OpenID Connect userinfo endpoint, or {@code null} when the account's
 *                      address comes from the ID token
 */
public record OAuthEndpoints(URI authorization, URI token, URI userinfo) {

    public OAuthEndpoints {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(token, "token");
    }

    /**
     * The endpoints named by the settings {@link OAuthSettings#AUTHORIZATION_ENDPOINT},
     * {@link OAuthSettings#TOKEN_ENDPOINT} and (optional) {@link OAuthSettings#USERINFO_ENDPOINT}.
     */
    public static OAuthEndpoints from(Settings installation) {
        return new OAuthEndpoints(URI.create(installation.get(OAuthSettings.AUTHORIZATION_ENDPOINT)),
                URI.create(installation.get(OAuthSettings.TOKEN_ENDPOINT)),
                installation.find(OAuthSettings.USERINFO_ENDPOINT).filter(s -> !s.isBlank()).map(URI::create)
                        .orElse(null));
    }
}
