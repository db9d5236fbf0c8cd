package io.mailroom.plugins.google;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.PermanentException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.oauth.AuthorizationRequest;
import io.mailroom.api.oauth.MailServer;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.oauth.TokenSet;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** The {@code google} OAuth provider: Gmail and Google Workspace mailboxes. */
public final class GoogleOAuthProvider implements OAuthProvider {

    static final URI AUTHORIZATION_ENDPOINT = URI.create("https://accounts.google.com/o/oauth2/v2/auth");

    @Override
    public String id() {
        return "google";
    }

    @Override
    public String name() {
        return "Google";
    }

    @Override
    public List<SettingDescriptor> settings() {
        return List.of(
                SettingDescriptor.required("client_id", SettingType.STRING,
                        "The OAuth client id from the Google Cloud console."),
                SettingDescriptor.required("client_secret", SettingType.STRING, "The OAuth client secret.").asSecret());
    }

    @Override
    public List<String> scopes() {
        return List.of("https://mail.google.com/", "openid", "email");
    }

    @Override
    public Map<String, MailServer> defaultServers() {
        return Map.of("imap", new MailServer("imap.gmail.com", 993, "ssl"),
                "pop3", new MailServer("pop.gmail.com", 995, "ssl"),
                "smtp", new MailServer("smtp.gmail.com", 465, "ssl"));
    }

    @Override
    public URI authorizationUri(AuthorizationRequest request) {
        // offline + consent: Google issues a refresh token only then.
        return request.standardUri(AUTHORIZATION_ENDPOINT, request.client().settings().get("client_id"),
                Map.of("access_type", "offline", "prompt", "consent"));
    }

    @Override
    public TokenSet exchangeCode(OAuthClient client, String code, String codeVerifier, ExtensionContext context) {
        throw new PermanentException("the Google code exchange is not implemented in this version");
    }

    @Override
    public TokenSet refresh(OAuthClient client, String refreshToken, ExtensionContext context) {
        throw new PermanentException("the Google token refresh is not implemented in this version");
    }
}
