package io.mailroom.plugins.microsoft;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.oauth.OAuthEndpoints;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.source.Credential;
import io.mailroom.testkit.oauth.OAuthProviderContract;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code microsoft} provider certified by the contract kit with a tenant of its own: the test
 * server's endpoints are templates with {@code {tenant}}, as the defaults are.
 */
class MicrosoftOAuthProviderTest extends OAuthProviderContract {

    private static final String TENANT = "8d3c1f0e-5b7a-4c2e-9f61-0a2b3c4d5e6f";

    @Override
    public OAuthProvider extension() {
        return new MicrosoftOAuthProvider();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("tenant", TENANT);
    }

    @Override
    protected Map<String, String> endpointSettings(String serverUrl) {
        return Map.of("authorization_endpoint", serverUrl + "/{tenant}/oauth2/v2.0/authorize",
                "token_endpoint", serverUrl + "/{tenant}/oauth2/v2.0/token");
    }

    @Test
    void the_test_servers_endpoints_carry_the_tenant() {
        assertThat(client().endpoints().authorization().getPath()).isEqualTo("/" + TENANT + "/oauth2/v2.0/authorize");
        assertThat(client().endpoints().token().getPath()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
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
    void the_tenant_is_common_unless_set() {
        Map<String, String> values = new HashMap<>();
        for (SettingDescriptor setting : extension().installationSettings()) {
            if (setting.defaultValue() != null) {
                values.put(setting.name(), setting.defaultValue());
            }
        }

        assertThat(extension().endpoints(Settings.of(values)).token())
                .isEqualTo(URI.create("https://login.microsoftonline.com/common/oauth2/v2.0/token"));
    }

    @Test
    void a_work_account_without_an_email_claim_is_read_from_its_user_principal_name() {
        assertThat(accountReadFrom(Map.of("preferred_username", "support@contoso.com")))
                .isEqualTo("support@contoso.com");
    }

    @Test
    void it_asks_for_each_protocol_and_offline_access() {
        assertThat(extension().scopes("imap")).containsExactly("https://outlook.office.com/IMAP.AccessAsUser.All");
        assertThat(extension().scopes("pop3")).containsExactly("https://outlook.office.com/POP.AccessAsUser.All");
        assertThat(extension().scopes("smtp")).containsExactly("https://outlook.office.com/SMTP.Send");
        assertThat(extension().identityScopes()).contains("offline_access", "openid", "email");
    }

    @Test
    void it_opens_microsoft_365_with_xoauth2() {
        assertThat(extension().defaultServers().get("imap").host()).isEqualTo("outlook.office365.com");
        assertThat(extension().defaultServers().get("imap").port()).isEqualTo(993);
        assertThat(extension().defaultServers().get("smtp").host()).isEqualTo("smtp.office365.com");
        assertThat(extension().defaultServers().get("smtp").port()).isEqualTo(587);
        assertThat(extension().mechanism()).isEqualTo(Credential.Mechanism.XOAUTH2);
    }
}
