package io.mailroom.host.oauth;

import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProvider;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The authorization request of RFC 6749 section 4.1.1 with PKCE (RFC 7636): response type
 * {@code code}, the client id, the exact redirect URI, the scopes, the state, the S256 challenge
 * and a login hint, then the provider's own parameters (which may not replace the standard ones).
 * Public for the provider contract kit (mailroom-oauth-testkit), which runs plugins through it.
 */
public final class AuthorizationUri {

    private AuthorizationUri() {
    }

    /** The scopes asked for: those of the mailbox's protocol, of SMTP for replies, and the identity ones. */
    public static List<String> scopes(OAuthProvider provider, String protocol) {
        List<String> scopes = new ArrayList<>();
        for (List<String> part : List.of(provider.scopes(protocol), provider.scopes("smtp"), provider.identityScopes())) {
            part.stream().filter(scope -> !scopes.contains(scope)).forEach(scopes::add);
        }
        return scopes;
    }

    public static URI build(OAuthProvider provider, OAuthClient client, List<String> scopes, String state, String challenge,
                     String loginHint) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", client.redirectUri().toString());
        query.put("scope", String.join(" ", scopes));
        query.put("state", state);
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        if (loginHint != null && !loginHint.isBlank()) {
            query.put("login_hint", loginHint);
        }
        provider.authorizationParameters(client.settings()).forEach(query::putIfAbsent);
        String encoded = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI endpoint = client.endpoints().authorization();
        return URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&") + encoded);
    }
}
