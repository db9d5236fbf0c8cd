package io.mailroom.api.oauth;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;

import java.util.ArrayList;
import java.util.List;

/**
 * The installation settings most providers declare, under the names the host knows: it reads the
 * client id and secret for every token call, and {@link OAuthEndpoints#from} reads the endpoints.
 * Endpoints are settings with defaults so that tests and sovereign clouds can point elsewhere.
 */
public final class OAuthSettings {

    public static final String CLIENT_ID = "client_id";
    public static final String CLIENT_SECRET = "client_secret";
    public static final String AUTHORIZATION_ENDPOINT = "authorization_endpoint";
    public static final String TOKEN_ENDPOINT = "token_endpoint";
    public static final String USERINFO_ENDPOINT = "userinfo_endpoint";

    private OAuthSettings() {
    }

    /** {@code client_id} (required) and {@code client_secret} (required, secret). */
    public static List<SettingDescriptor> clientRegistration(String clientIdHelp, String clientSecretHelp) {
        return List.of(SettingDescriptor.required(CLIENT_ID, SettingType.STRING, clientIdHelp),
                SettingDescriptor.required(CLIENT_SECRET, SettingType.STRING, clientSecretHelp).asSecret());
    }

    /**
     * The endpoint settings with their defaults; {@code userinfo} may be {@code null} (no userinfo
     * setting is declared then).
     */
    public static List<SettingDescriptor> endpoints(String authorization, String token, String userinfo) {
        List<SettingDescriptor> settings = new ArrayList<>(List.of(
                SettingDescriptor.optional(AUTHORIZATION_ENDPOINT, SettingType.STRING, authorization,
                        "The authorization endpoint; change it only for a test server or a sovereign cloud."),
                SettingDescriptor.optional(TOKEN_ENDPOINT, SettingType.STRING, token,
                        "The token endpoint; change it only for a test server or a sovereign cloud.")));
        if (userinfo != null) {
            settings.add(SettingDescriptor.optional(USERINFO_ENDPOINT, SettingType.STRING, userinfo,
                    "The OpenID Connect userinfo endpoint."));
        }
        return List.copyOf(settings);
    }
}
