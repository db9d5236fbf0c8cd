package io.mailroom.plugins.microsoft;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.oauth.OAuthEndpoints;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.testkit.ExtensionContract;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MicrosoftOAuthProviderTest implements ExtensionContract<OAuthProvider> {

    @Override
    public OAuthProvider extension() {
        return new MicrosoftOAuthProvider();
    }

    @Override
    public Class<OAuthProvider> point() {
        return OAuthProvider.class;
    }

    @Test
    void the_endpoints_go_to_the_configured_tenant() {
        Map<String, String> values = new HashMap<>();
        for (SettingDescriptor setting : extension().installationSettings()) {
            if (setting.defaultValue() != null) {
                values.put(setting.name(), setting.defaultValue());
            }
        }
        values.put("tenant", "contoso.onmicrosoft.com");

        OAuthEndpoints endpoints = extension().endpoints(Settings.of(values));

        assertThat(endpoints.authorization()).isEqualTo(
                URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"));
        assertThat(endpoints.token()).isEqualTo(
                URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"));
    }

    @Test
    void it_asks_for_each_protocol_and_offline_access() {
        assertThat(extension().scopes("imap")).containsExactly("https://outlook.office.com/IMAP.AccessAsUser.All");
        assertThat(extension().scopes("pop3")).containsExactly("https://outlook.office.com/POP.AccessAsUser.All");
        assertThat(extension().scopes("smtp")).containsExactly("https://outlook.office.com/SMTP.Send");
        assertThat(extension().identityScopes()).contains("offline_access", "openid", "email");
        assertThat(extension().defaultServers().get("imap").host()).isEqualTo("outlook.office365.com");
        assertThat(extension().defaultServers().get("smtp").port()).isEqualTo(587);
    }
}
