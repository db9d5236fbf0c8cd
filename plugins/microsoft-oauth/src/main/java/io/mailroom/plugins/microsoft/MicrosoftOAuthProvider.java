package io.mailroom.plugins.microsoft;

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

/** The {@code microsoft} OAuth provider: Microsoft 365 and Outlook.com mailboxes. */
public final class MicrosoftOAuthProvider implements OAuthProvider {

    @Override
    public String id() {
        return "microsoft";
    }

    @Override
    public String name() {
        return "Microsoft";
    }

    @Override
    public List<SettingDescriptor> settings() {
        return List.of(
                SettingDescriptor.required("client_id", SettingType.STRING,
                        "The application (client) id of the Entra ID app registration."),
                SettingDescriptor.required("client_secret", SettingType.STRING, "A client secret of the app.").asSecret(),
                SettingDescriptor.optional("tenant", SettingType.STRING, "common",
                        "The directory (tenant) id, or common for any work, school or personal account."));
    }

    @Override
    public List<String> scopes() {
        return List.of("https://outlook.office.com/IMAP.AccessAsUser.All",
                "https://outlook.office.com/POP.AccessAsUser.All",
                "https://outlook.office.com/SMTP.Send", "offline_access", "openid", "email");
    }

    @Override
    public Map<String, MailServer> defaultServers() {
        return Map.of("imap", new MailServer("outlook.office365.com", 993, "ssl"),
                "pop3", new MailServer("outlook.office365.com", 995, "ssl"),
                "smtp", new MailServer("smtp.office365.com", 587, "starttls"));
    }

    @Override
    public URI authorizationUri(AuthorizationRequest request) {
        String tenant = request.client().settings().find("tenant").orElse("common");
        URI endpoint = URI.create("https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/authorize");
        return request.standardUri(endpoint, request.client().settings().get("client_id"), Map.of());
    }

    @Override
    public TokenSet exchangeCode(OAuthClient client, String code, String codeVerifier, ExtensionContext context) {
        throw new PermanentException("the Microsoft code exchange is not implemented in this version");
    }

    @Override
    public TokenSet refresh(OAuthClient client, String refreshToken, ExtensionContext context) {
        throw new PermanentException("the Microsoft token refresh is not implemented in this version");
    }
}
