package io.mailroom.api.oauth;

import java.util.List;

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
}
