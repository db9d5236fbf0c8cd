package io.mailroom.plugins.microsoft;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;
import io.mailroom.api.oauth.AccountEmail;
import io.mailroom.api.oauth.MailServer;
import io.mailroom.api.oauth.OAuthEndpoints;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.oauth.OAuthSettings;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code microsoft} OAuth provider (identity platform v2): Microsoft 365 and Outlook.com mailboxes. */
public final class MicrosoftOAuthProvider implements OAuthProvider {

    static final String TENANT = "tenant";
    static final String AUTHORIZATION_ENDPOINT = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize";
    static final String TOKEN_ENDPOINT = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";

    @Override
    public String id() {
        return "microsoft";
    }

    @Override
    public String name() {
        return "Microsoft";
    }

    @Override
    public List<SettingDescriptor> installationSettings() {
        List<SettingDescriptor> settings = new ArrayList<>(OAuthSettings.clientRegistration(
                "The application (client) id of the Entra ID app registration.", "A client secret of the app."));
        settings.add(SettingDescriptor.optional(TENANT, SettingType.STRING, "common",
                "common, organizations, consumers, or the directory (tenant) id."));
        settings.addAll(OAuthSettings.endpoints(AUTHORIZATION_ENDPOINT, TOKEN_ENDPOINT, null));
        return List.copyOf(settings);
    }

    /** The endpoint settings with {@code {tenant}} replaced by the tenant setting. */
    @Override
    public OAuthEndpoints endpoints(Settings installation) {
        String tenant = URLEncoder.encode(installation.find(TENANT).orElse("common"), StandardCharsets.UTF_8);
        return new OAuthEndpoints(
                URI.create(installation.get(OAuthSettings.AUTHORIZATION_ENDPOINT).replace("{tenant}", tenant)),
                URI.create(installation.get(OAuthSettings.TOKEN_ENDPOINT).replace("{tenant}", tenant)), null);
    }

    @Override
    public List<String> scopes(String protocol) {
        return switch (protocol) {
            case "imap" -> List.of("https://outlook.office.com/IMAP.AccessAsUser.All");
            case "pop3" -> List.of("https://outlook.office.com/POP.AccessAsUser.All");
            case "smtp" -> List.of("https://outlook.office.com/SMTP.Send");
            default -> List.of();
        };
    }

    /** offline_access: without it the v2 endpoint issues no refresh token. */
    @Override
    public List<String> identityScopes() {
        return List.of("offline_access", "openid", "email");
    }

    /** Work accounts carry the address in {@code email} only when the tenant releases it; the UPN is the fallback. */
    @Override
    public AccountEmail accountEmail() {
        return AccountEmail.fromIdToken("email", "preferred_username");
    }

    @Override
    public Map<String, MailServer> defaultServers() {
        return Map.of("imap", new MailServer("outlook.office365.com", 993, "ssl"),
                "pop3", new MailServer("outlook.office365.com", 995, "ssl"),
                "smtp", new MailServer("smtp.office365.com", 587, "starttls"));
    }
}
