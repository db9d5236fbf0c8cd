package io.mailroom.plugins.google;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.oauth.OAuthEndpoints;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.testkit.ExtensionContract;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class GoogleOAuthProviderTest implements ExtensionContract<OAuthProvider> {

    @Override
    public OAuthProvider extension() {
        return new GoogleOAuthProvider();
    }

    @Override
    public Class<OAuthProvider> point() {
        return OAuthProvider.class;
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
        assertThat(extension().defaultServers().get("imap").host()).isEqualTo("imap.gmail.com");
        assertThat(extension().defaultServers().get("smtp").port()).isEqualTo(587);
    }
}
