package io.mailroom.plugins.google;

import io.mailroom.api.Settings;
import io.mailroom.api.oauth.AuthorizationRequest;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.testkit.ExtensionContract;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

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
    void the_authorization_uri_asks_for_offline_access_with_pkce() {
        OAuthClient client = new OAuthClient(Settings.of(Map.of("client_id", "abc.apps", "client_secret", "s")),
                URI.create("https://mailroom.example.com/api/oauth/google/callback"));
        OAuthProvider provider = extension();

        URI uri = provider.authorizationUri(new AuthorizationRequest(client, "st8", "chal", provider.scopes(), "a@b.c"));

        assertThat(uri.getHost()).isEqualTo("accounts.google.com");
        assertThat(uri.getRawQuery()).contains("client_id=abc.apps", "state=st8", "code_challenge=chal",
                "code_challenge_method=S256", "access_type=offline", "login_hint=a%40b.c",
                "redirect_uri=https%3A%2F%2Fmailroom.example.com%2Fapi%2Foauth%2Fgoogle%2Fcallback",
                "scope=https%3A%2F%2Fmail.google.com%2F+openid+email").doesNotContain("client_secret");
    }
}
