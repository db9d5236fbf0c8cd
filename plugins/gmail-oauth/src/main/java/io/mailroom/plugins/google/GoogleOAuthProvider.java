package io.mailroom.plugins.google;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.oauth.MailServer;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.oauth.OAuthSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code google} OAuth provider: Gmail and Google Workspace mailboxes. */
public final class GoogleOAuthProvider implements OAuthProvider {

    static final String AUTHORIZATION_ENDPOINT = "https://accounts.google.com/o/oauth2/v2/auth";
    static final String TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token";
    static final String MAIL_SCOPE = "https://mail.google.com/";

    @Override
    public String id() {
        return "google";
    }

    @Override
    public String name() {
        return "Google";
    }

    @Override
    public List<SettingDescriptor> installationSettings() {
        List<SettingDescriptor> settings = new ArrayList<>(OAuthSettings.clientRegistration(
                "The OAuth client id from the Google Cloud console.", "The OAuth client secret."));
        settings.addAll(OAuthSettings.endpoints(AUTHORIZATION_ENDPOINT, TOKEN_ENDPOINT, null));
        return List.copyOf(settings);
    }

    @Override
    public List<String> scopes(String protocol) {
        // One scope opens IMAP, POP3 and SMTP alike.
        return switch (protocol) {
            case "imap", "pop3", "smtp" -> List.of(MAIL_SCOPE);
            default -> List.of();
        };
    }

    @Override
    public Map<String, String> authorizationParameters(Settings installation) {
        // offline + consent: Google issues a refresh token only then.
        return Map.of("access_type", "offline", "prompt", "consent");
    }

    @Override
    public Map<String, MailServer> defaultServers() {
        return Map.of("imap", new MailServer("imap.gmail.com", 993, "ssl"),
                "pop3", new MailServer("pop.gmail.com", 995, "ssl"),
                "smtp", new MailServer("smtp.gmail.com", 587, "starttls"));
    }
}
