package io.mailroom.plugins.google;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.oauth.OAuthEndpoints;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.source.Credential;
import io.mailroom.testkit.oauth.OAuthProviderContract;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code google} provider certified by the contract kit, and Google's own particulars. */
class GoogleOAuthProviderTest extends OAuthProviderContract {

    @Override
    public OAuthProvider extension() {
        return new GoogleOAuthProvider();
    }

    @Test
    void it_declares_google_endpoints_as_overridable_defaults() {
        Map<String, String> defaults = extension().installationSettings().stream()
                .filter(s -> s.defaultValue() != null)
                .collect(Collectors.toMap(SettingDescriptor::name, SettingDescriptor::defaultValue));

        OAuthEndpoints endpoints = extension().endpoints(Settings.of(defaults));

        assertThat(endpoints.authorization()).isEqualTo(URI.create("https://accounts.google.com/o/oauth2/v2/auth"));
        assertThat(endpoints.token()).isEqualTo(URI.create("https://oauth2.googleapis.com/token"));
    }

    @Test
    void it_asks_for_mail_and_identity_offline_with_consent() {
        assertThat(extension().scopes("imap")).containsExactly("https://mail.google.com/");
        assertThat(extension().scopes("smtp")).containsExactly("https://mail.google.com/");
        assertThat(extension().identityScopes()).containsExactly("openid", "email");
        assertThat(extension().authorizationParameters(Settings.of(Map.of())))
                .containsEntry("access_type", "offline").containsEntry("prompt", "consent");
    }

    @Test
    void it_opens_gmail_with_xoauth2() {
        assertThat(extension().defaultServers().get("imap").host()).isEqualTo("imap.gmail.com");
        assertThat(extension().defaultServers().get("imap").port()).isEqualTo(993);
        assertThat(extension().defaultServers().get("smtp").host()).isEqualTo("smtp.gmail.com");
        assertThat(extension().defaultServers().get("smtp").port()).isEqualTo(587);
        assertThat(extension().mechanism()).isEqualTo(Credential.Mechanism.XOAUTH2);
    }
}
