package io.mailroom.testkit.oauth;

import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.oauth.MailServer;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.oauth.OAuthSettings;
import io.mailroom.api.oauth.TokenSet;
import io.mailroom.host.oauth.AccountEmailReader;
import io.mailroom.host.oauth.AuthorizationUri;
import io.mailroom.host.oauth.StandardOAuthProtocol;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.plugins.JdkHttpTransport;
import io.mailroom.host.plugins.SettingsValidator;
import io.mailroom.testkit.ExtensionContract;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Certifies an {@link OAuthProvider} plugin: the host's own OAuth engine ({@link AuthorizationUri},
 * {@link StandardOAuthProtocol}, {@link AccountEmailReader}) runs the provider against
 * mock-oauth2-server in-process, its endpoint settings pointed there. A provider's test extends
 * this class and names the provider:
 *
 * <pre>{@code
 * class AcmeOAuthProviderTest extends OAuthProviderContract {
 *     @Override
 *     public OAuthProvider extension() {
 *         return new AcmeOAuthProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>It checks the authorization URI (endpoint, client id, exact redirect URI, PKCE S256, state,
 * the protocol's and the identity scopes, the extra parameters), the code exchange, the refresh
 * with a rotated refresh token, the mapping of refusals and outages, the reading of the account's
 * address, and the declared servers and mechanism. A provider whose endpoint settings are templates
 * (a tenant in the path) overrides {@link #endpointSettings}; one with more required settings
 * overrides {@link #settings}. Add the provider's own expectations as further tests.
 */
public abstract class OAuthProviderContract implements ExtensionContract<OAuthProvider> {

    protected static final String CLIENT_ID = "kit-client";
    protected static final String CLIENT_SECRET = "kit-client-secret";
    private static final List<String> MAIL_PROTOCOLS = List.of("imap", "pop3");

    private MockOAuth2Server server;
    private HttpTransport http;
    private StandardOAuthProtocol standard;
    private OAuthClient client;

    @Override
    public final Class<OAuthProvider> point() {
        return OAuthProvider.class;
    }

    /** Installation settings beyond the client registration and the endpoints (a tenant, say). */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /**
     * The endpoint settings for a server at {@code serverUrl} (no trailing slash). By default the
     * {@link OAuthSettings} endpoint names the provider declares, under the issuer {@code kit}.
     * mock-oauth2-server answers any path ending in {@code /authorize}, {@code /token} or
     * {@code /userinfo}, and takes what comes before as its issuer: keep it the same for all three.
     */
    protected Map<String, String> endpointSettings(String serverUrl) {
        Set<String> declared = declared();
        Map<String, String> endpoints = new LinkedHashMap<>();
        Map.of(OAuthSettings.AUTHORIZATION_ENDPOINT, "/kit/authorize", OAuthSettings.TOKEN_ENDPOINT, "/kit/token",
                        OAuthSettings.USERINFO_ENDPOINT, "/kit/userinfo")
                .forEach((name, path) -> {
                    if (declared.contains(name)) {
                        endpoints.put(name, serverUrl + path);
                    }
                });
        return endpoints;
    }

    /** The address the test account signs in with. */
    protected String accountAddress() {
        return "ann@example.com";
    }

    @BeforeEach
    final void startOAuthServer() {
        server = new MockOAuth2Server(new OAuth2Config(false, null, null, true));
        server.start(InetAddress.getLoopbackAddress(), 0);
        // the in-process servers listen on loopback, which the host's HTTP refuses unless allowed
        http = new JdkHttpTransport(new PrivateAddressPolicy(true));
        standard = new StandardOAuthProtocol(http, Clock.systemUTC());
        client = client(serverUrl());
    }

    @AfterEach
    final void stopOAuthServer() {
        server.shutdown();
    }

    /** The client registration the tests use, the provider's endpoints pointed at mock-oauth2-server. */
    protected final OAuthClient client() {
        return client;
    }

    /** The client registration for a server at {@code serverUrl}, checked as the host checks an admin's settings. */
    protected final OAuthClient client(String serverUrl) {
        OAuthProvider provider = extension();
        Map<String, Object> given = new LinkedHashMap<>();
        given.put(OAuthSettings.CLIENT_ID, CLIENT_ID);
        if (declared().contains(OAuthSettings.CLIENT_SECRET)) {
            given.put(OAuthSettings.CLIENT_SECRET, CLIENT_SECRET);
        }
        given.putAll(endpointSettings(serverUrl));
        given.putAll(settings());
        Map<String, String> values = new SettingsValidator(provider.installationSettings()).validate("settings", given);
        Settings settings = Settings.of(values, provider.installationSettings().stream()
                .filter(SettingDescriptor::secret).map(SettingDescriptor::name).collect(Collectors.toSet()));
        return new OAuthClient(settings, URI.create("http://localhost:8080/api/oauth/" + provider.id() + "/callback"),
                provider.endpoints(settings));
    }

    @Test
    void it_declares_a_client_id_and_endpoints_a_test_server_can_replace() {
        assertThat(declared()).contains(OAuthSettings.CLIENT_ID);
        assertThat(client.endpoints().authorization().toString()).startsWith(serverUrl() + "/");
        assertThat(client.endpoints().token().toString()).startsWith(serverUrl() + "/");
        if (extension().accountEmail().userinfoField() != null) {
            assertThat(client.endpoints().userinfo()).as("the userinfo endpoint").isNotNull();
            assertThat(client.endpoints().userinfo().toString()).startsWith(serverUrl() + "/");
        }
    }

    @Test
    void the_authorization_request_has_pkce_s256_the_exact_redirect_uri_the_scopes_and_its_parameters() {
        OAuthProvider provider = extension();
        for (String protocol : mailProtocols()) {
            Pkce pkce = Pkce.create();
            URI uri = AuthorizationUri.build(provider, client, AuthorizationUri.scopes(provider, protocol), "kit-state",
                    pkce.challenge(), accountAddress());

            Map<String, String> query = Authorizations.query(uri);
            assertThat(uri.toString()).startsWith(client.endpoints().authorization() + "?");
            assertThat(query).as(protocol).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                    .containsEntry("redirect_uri", client.redirectUri().toString()).containsEntry("state", "kit-state")
                    .containsEntry("code_challenge", pkce.challenge()).containsEntry("code_challenge_method", "S256")
                    .containsEntry("login_hint", accountAddress()).doesNotContainKey("client_secret");
            assertThat(List.of(query.get("scope").split(" "))).as("scopes for %s", protocol)
                    .containsAll(provider.scopes(protocol)).containsAll(provider.identityScopes());
            provider.authorizationParameters(client.settings())
                    .forEach((name, value) -> assertThat(query).as(protocol).containsEntry(name, value));
        }
    }

    @Test
    void its_own_authorization_parameters_leave_the_standard_ones_alone() {
        assertThat(extension().authorizationParameters(client.settings())).doesNotContainKeys("response_type",
                "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "client_secret");
    }

    @Test
    void it_opens_mail_and_names_a_server_and_scopes_for_each_protocol_it_serves() {
        OAuthProvider provider = extension();
        assertThat(mailProtocols()).as("imap or pop3 scopes").isNotEmpty();
        assertThat(provider.mechanism()).isNotNull();
        assertThat(provider.identityScopes()).isNotNull();
        for (Map.Entry<String, MailServer> entry : provider.defaultServers().entrySet()) {
            MailServer server = entry.getValue();
            assertThat(entry.getKey()).isIn("imap", "pop3", "smtp");
            assertThat(provider.scopes(entry.getKey())).as("scopes for %s", entry.getKey()).isNotEmpty();
            assertThat(server.host()).as("%s host", entry.getKey()).isNotBlank();
            assertThat(server.port()).as("%s port", entry.getKey()).isBetween(1, 65535);
            assertThat(server.security()).as("%s security", entry.getKey()).isIn("ssl", "starttls", "none");
        }
        if (!provider.accountEmail().idTokenClaims().isEmpty()) {
            assertThat(provider.identityScopes()).as("an ID token needs openid").contains("openid");
        }
    }

    @Test
    void a_code_is_exchanged_for_tokens_and_the_account_address_is_read() {
        Authorizations.Code code = authorizations().signIn(mailProtocols().getFirst(), accountAddress());

        TokenSet tokens = extension().exchangeCode(client, code.code(), code.verifier(), standard);

        assertThat(tokens.accessToken()).isNotBlank();
        assertThat(tokens.refreshToken()).as("a refresh token").isNotBlank();
        assertThat(tokens.expiresAt()).isAfter(Instant.now());
        assertThat(AccountEmailReader.read(extension().accountEmail(), tokens, client, http)).isEqualTo(accountAddress());
    }

    @Test
    void a_code_with_another_pkce_verifier_is_refused() {
        Authorizations.Code code = authorizations().signIn(mailProtocols().getFirst(), accountAddress());

        assertThatThrownBy(() -> extension().exchangeCode(client, code.code(), Pkce.create().verifier(), standard))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void a_refresh_gives_a_new_access_token_and_the_rotated_refresh_token_is_kept() {
        Authorizations.Code code = authorizations().signIn(mailProtocols().getFirst(), accountAddress());
        TokenSet first = extension().exchangeCode(client, code.code(), code.verifier(), standard);

        TokenSet refreshed = extension().refresh(client, first.refreshToken(), standard);
        TokenSet again = extension().refresh(client, refreshed.refreshToken(), standard);

        assertThat(refreshed.accessToken()).isNotBlank().isNotEqualTo(first.accessToken());
        assertThat(refreshed.refreshToken()).as("the rotated refresh token").isNotBlank()
                .isNotEqualTo(first.refreshToken());
        assertThat(again.accessToken()).as("the rotated refresh token works").isNotBlank();
    }

    @Test
    void a_refused_grant_or_client_fails_authentication() {
        for (String error : List.of("invalid_grant", "invalid_client")) {
            try (ScriptedTokenServer refusing = new ScriptedTokenServer(error.equals("invalid_client") ? 401 : 400,
                    "{\"error\":\"" + error + "\",\"error_description\":\"refused by the kit\"}")) {
                OAuthClient refused = client(refusing.url());
                assertThatThrownBy(() -> extension().exchangeCode(refused, "some-code", Pkce.create().verifier(), standard))
                        .as("exchange, %s", error).isInstanceOf(AuthenticationFailedException.class).hasMessageContaining(error);
                assertThatThrownBy(() -> extension().refresh(refused, "some-refresh-token", standard))
                        .as("refresh, %s", error).isInstanceOf(AuthenticationFailedException.class).hasMessageContaining(error);
            }
        }
    }

    @Test
    void a_5xx_answer_or_an_unreachable_server_is_temporary() {
        OAuthClient down;
        try (ScriptedTokenServer failing = new ScriptedTokenServer(503, "")) {
            OAuthClient failingClient = client(failing.url());
            assertThatThrownBy(() -> extension().exchangeCode(failingClient, "some-code", Pkce.create().verifier(), standard))
                    .isInstanceOf(TemporaryException.class);
            assertThatThrownBy(() -> extension().refresh(failingClient, "some-refresh-token", standard))
                    .isInstanceOf(TemporaryException.class);
            down = failingClient;
        }
        OAuthClient closed = down;
        assertThatThrownBy(() -> extension().refresh(closed, "some-refresh-token", standard))
                .isInstanceOf(TemporaryException.class);
    }

    /**
     * Signs in at the test server as an account whose tokens (and userinfo answer) carry
     * {@code claims}, exchanges the code through the provider, and reads the account's address as
     * the host does: null when the provider's declaration does not find it.
     */
    protected final String accountReadFrom(Map<String, Object> claims) {
        Authorizations.Code code = authorizations().signIn(mailProtocols().getFirst(), "kit-subject", claims);
        TokenSet tokens = extension().exchangeCode(client, code.code(), code.verifier(), standard);
        return AccountEmailReader.read(extension().accountEmail(), tokens, client, http);
    }

    /** The mail protocols (imap, pop3) whose tokens this provider issues. */
    private List<String> mailProtocols() {
        return MAIL_PROTOCOLS.stream().filter(protocol -> !extension().scopes(protocol).isEmpty()).toList();
    }

    private Authorizations authorizations() {
        return new Authorizations(server, extension(), client);
    }

    private Set<String> declared() {
        return extension().installationSettings().stream().map(SettingDescriptor::name).collect(Collectors.toSet());
    }

    private String serverUrl() {
        String url = server.baseUrl().toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
