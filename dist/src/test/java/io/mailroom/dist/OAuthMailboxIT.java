package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged gmail-oauth and microsoft-oauth plugins with the packaged imap plugin, end to end:
 * authorize → provider (mock-oauth2-server in-process standing in for Google and for a Microsoft
 * tenant, their endpoints set through mailroom.oauth.*) → callback → a mailbox that logs in to
 * GreenMail with XOAUTH2 and syncs.
 */
class OAuthMailboxIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    static Path dir;
    static MockOAuth2Server oauth;
    static GreenMail greenMail;
    static TestMailroom mailroom;
    static String adminToken;

    @BeforeAll
    static void start() {
        oauth = new MockOAuth2Server(new OAuth2Config(false, null, null, true));
        oauth.start();
        greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic", "gmail-oauth", "microsoft-oauth");
        String base = oauth.baseUrl().toString().replaceAll("/$", "");
        Map<String, String> settings = new HashMap<>();
        settings.put("mailroom.oauth.google.client_id", "google-client");
        settings.put("mailroom.oauth.google.client_secret", "google-secret");
        settings.put("mailroom.oauth.google.authorization_endpoint", oauth.authorizationEndpointUrl("google").toString());
        settings.put("mailroom.oauth.google.token_endpoint", oauth.tokenEndpointUrl("google").toString());
        settings.put("mailroom.oauth.microsoft.client_id", "microsoft-client");
        settings.put("mailroom.oauth.microsoft.client_secret", "microsoft-secret");
        settings.put("mailroom.oauth.microsoft.tenant", "contoso");
        // the issuer is the first path segment at mock-oauth2-server, so the tenant picks it
        settings.put("mailroom.oauth.microsoft.authorization_endpoint", base + "/{tenant}/authorize");
        settings.put("mailroom.oauth.microsoft.token_endpoint", base + "/{tenant}/token");
        mailroom = TestMailroom.start(dir, settings);
        adminToken = mailroom.adminToken();
    }

    @AfterAll
    static void stop() {
        try {
            mailroom.close();
        } finally {
            greenMail.stop();
            oauth.shutdown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"google, google, https://mail.google.com/ openid email, ann@gmail.example",
            "microsoft, contoso, https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send "
                    + "offline_access openid email, support@contoso.example"})
    void a_mailbox_authorized_through_the_provider_syncs_over_imap_with_xoauth2(String provider, String issuer,
                                                                                 String scope, String address) throws Exception {
        ApiClient admin = mailroom.admin();
        ApiClient.Reply created = admin.post("/api/mailboxes", Map.of("name", provider, "email", address, "source", "imap",
                "auth", "oauth:" + provider,
                "settings", Map.of("host", "127.0.0.1", "port", greenMail.getImap().getPort(), "security", "none",
                        "username", address)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();

        HttpResponse<String> authorize = send(HttpRequest.newBuilder(URI.create(base() + "/api/oauth/" + provider
                + "/authorize?mailbox_id=" + id)).header("Authorization", "Bearer " + adminToken).GET().build());
        assertThat(authorize.statusCode()).as(authorize.body()).isEqualTo(302);
        URI authorization = URI.create(authorize.headers().firstValue("Location").orElseThrow());
        assertThat(authorization.getPath()).isEqualTo("/" + issuer + "/authorize");
        Map<String, String> query = query(authorization);
        assertThat(query).containsEntry("scope", scope).containsEntry("code_challenge_method", "S256")
                .containsEntry("login_hint", address)
                .containsEntry("redirect_uri", base() + "/api/oauth/" + provider + "/callback");
        if (provider.equals("google")) {
            assertThat(query).containsEntry("access_type", "offline").containsEntry("prompt", "consent");
        }

        HttpResponse<String> signedIn;
        if (provider.equals("google")) {
            // prompt=consent: mock-oauth2-server shows its login form, as Google shows its consent screen
            assertThat(send(HttpRequest.newBuilder(authorization).GET().build()).statusCode()).isEqualTo(200);
            String form = "username=agent&claims=" + URLEncoder.encode("{\"email\": \"agent@" + issuer + ".example\"}",
                    StandardCharsets.UTF_8);
            signedIn = send(HttpRequest.newBuilder(authorization).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        } else {
            oauth.enqueueCallback(new DefaultOAuth2TokenCallback(issuer, "agent", "JWT", List.of("client"),
                    Map.of("email", "agent@" + issuer + ".example"), 3600));
            signedIn = send(HttpRequest.newBuilder(authorization).GET().build());
        }
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        URI callback = URI.create(signedIn.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> connected = send(HttpRequest.newBuilder(callback).header("Accept", "application/json")
                .header("Authorization", "Bearer " + adminToken).GET().build());
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);

        JsonNode mailbox = admin.get("/api/mailboxes/" + id).json();
        assertThat(mailbox.get("auth").asText()).isEqualTo("oauth:" + provider);
        assertThat(mailbox.get("settings").get("username").asText()).isEqualTo(address);
        assertThat(mailbox.get("oauth").get("account").asText()).isEqualTo("agent@" + issuer + ".example");

        // GreenMail takes a user's password as its XOAUTH2 token: give it the token Mailroom holds
        Mailbox stored = mailroom.mailroom().core().database().jdbi().onDemand(MailboxDao.class).find(id).orElseThrow();
        String token = mailroom.mailroom().core().oauthTokens().credential(stored, address).secret();
        greenMail.setUser(address, address, token).deliver(GreenMailUtil.createTextEmail(address, "customer@example.com",
                "Hello " + provider, "body", greenMail.getImap().getServerSetup()));

        JsonNode poll = admin.post("/api/mailboxes/" + id + "/sync?wait=true", null).json();

        assertThat(poll.get("status").asText()).as(poll.toString()).isEqualTo("ok");
        assertThat(poll.get("stored").asInt()).isEqualTo(1);
        JsonNode refreshed = admin.post("/api/mailboxes/" + id + "/oauth/refresh", null).json();
        assertThat(refreshed.get("ok").asBoolean()).as(refreshed.toString()).isTrue();
    }

    private static String base() {
        return "http://localhost:" + mailroom.mailroom().port();
    }

    private static Map<String, String> query(URI uri) {
        return Arrays.stream(uri.getRawQuery().split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8), (a, b) -> a));
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return BROWSER.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
