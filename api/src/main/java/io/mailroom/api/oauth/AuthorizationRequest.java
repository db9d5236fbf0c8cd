package io.mailroom.api.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What goes into an authorization URI.
 *
 * @param client        the deployment's client registration
 * @param state         the host's single-use, signed state
 * @param codeChallenge the PKCE S256 challenge
 * @param scopes        the scopes to ask for
 * @param loginHint     the mailbox address, to preselect the account, or null
 */
public record AuthorizationRequest(OAuthClient client, String state, String codeChallenge, List<String> scopes,
                                   String loginHint) {

    public AuthorizationRequest {
        scopes = List.copyOf(scopes);
    }

    /**
     * The authorization URI of RFC 6749 with PKCE (RFC 7636): {@code response_type=code}, the
     * client id, exact redirect URI, scopes, state, S256 challenge and login hint, plus the
     * provider's own parameters (such as Google's {@code access_type=offline}).
     */
    public URI standardUri(URI endpoint, String clientId, Map<String, String> extraParameters) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("redirect_uri", client.redirectUri().toString());
        query.put("scope", String.join(" ", scopes));
        query.put("state", state);
        query.put("code_challenge", codeChallenge);
        query.put("code_challenge_method", "S256");
        if (loginHint != null) {
            query.put("login_hint", loginHint);
        }
        query.putAll(extraParameters);
        String encoded = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return URI.create(endpoint + (endpoint.getQuery() == null ? "?" : "&") + encoded);
    }
}
