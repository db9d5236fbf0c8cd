package io.mailroom.plugins.microsoft;

import io.mailroom.api.Settings;
import io.mailroom.api.oauth.AuthorizationRequest;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.testkit.ExtensionContract;
import org.junit.jupiter.api.Test;

import java.net.URI;
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
    void the_authorization_uri_goes_to_the_configured_tenant() {
        OAuthClient client = new OAuthClient(Settings.of(Map.of("client_id", "app-id", "tenant", "contoso.onmicrosoft.com")),
                URI.create("https://mailroom.example.com/api/oauth/microsoft/callback"));
        OAuthProvider provider = extension();

        URI uri = provider.authorizationUri(new AuthorizationRequest(client, "st8", "chal", provider.scopes(), null));

        assertThat(uri.getHost()).isEqualTo("login.microsoftonline.com");
        assertThat(uri.getPath()).isEqualTo("/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
        assertThat(uri.getRawQuery()).contains("client_id=app-id", "offline_access", "code_challenge_method=S256")
                .doesNotContain("login_hint");
    }
}
