package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.PluginJarBuilder;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Mailroom with a third party's OAuth provider ({@code mock}, built from source into a plugin
 * jar, as the plugin-author guide says) whose endpoints point at mock-oauth2-server in-process,
 * and a source ({@code recording}) that writes down the credential each connection logs in with.
 */
final class OAuthFixture implements AutoCloseable {

    static final String ISSUER = "mock";

    private static final String PROVIDER = """
            package sample.oauth;

            import io.mailroom.api.*;
            import io.mailroom.api.oauth.*;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.Map;

            public class Provider implements OAuthProvider {
                @Override public String id() { return "mock"; }
                @Override public String name() { return "Mock"; }
                @Override public List<SettingDescriptor> installationSettings() {
                    List<SettingDescriptor> settings = new ArrayList<>(OAuthSettings.clientRegistration("client id", "client secret"));
                    settings.addAll(OAuthSettings.endpoints("https://login.mock.invalid/authorize",
                            "https://login.mock.invalid/token", null));
                    return settings;
                }
                @Override public List<String> scopes(String protocol) {
                    return protocol.equals("recording") || protocol.equals("smtp") ? List.of("mail") : List.of();
                }
                @Override public Map<String, String> authorizationParameters(Settings installation) {
                    return Map.of("access_type", "offline");
                }
                @Override public Map<String, MailServer> defaultServers() {
                    return Map.of("recording", new MailServer("127.0.0.1", 10143, "none"),
                            "smtp", new MailServer("127.0.0.1", Integer.getInteger("oauthfixture.smtp.port", 10025), "none"));
                }
            }
            """;

    private static final String SOURCE = """
            package sample.recording;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.io.IOException;
            import java.io.UncheckedIOException;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.*;
            import java.util.List;

            public class Source implements MailSource {
                @Override public String id() { return "recording"; }
                @Override public List<SettingDescriptor> mailboxSettings() {
                    return List.of(SettingDescriptor.required("host", SettingType.STRING, "host"),
                        SettingDescriptor.optional("port", SettingType.INTEGER, "143", "port"),
                        SettingDescriptor.choice("security", "none", List.of("ssl", "starttls", "none"), "security"),
                        SettingDescriptor.optional("username", SettingType.STRING, null, "login"),
                        SettingDescriptor.optional("password", SettingType.STRING, null, "password").asSecret());
                }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    Credential c = account.credential();
                    try {
                        Files.writeString(Path.of(System.getProperty("oauthfixture.record")),
                            c.mechanism() + " " + c.username() + " " + c.secret() + "\\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return new SourceConnection() {
                        @Override public List<String> capabilities() { return List.of(); }
                        @Override public List<FolderInfo> folders() { return List.of(); }
                        @Override public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
                            throw new PermanentException("no folder " + folder);
                        }
                        @Override public void apply(String folder, long validity, List<PostAction> actions) { }
                        @Override public void close() { }
                    };
                }
            }
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    final MockOAuth2Server oauth;
    final TestMailroom mailroom;
    final ApiClient admin;
    final Path record;

    private OAuthFixture(MockOAuth2Server oauth, TestMailroom mailroom, Path record) {
        this.oauth = oauth;
        this.mailroom = mailroom;
        this.admin = mailroom.admin();
        this.record = record;
    }

    /** mock-oauth2-server rotating refresh tokens, and a Mailroom configured for it through mailroom.oauth.mock.*. */
    static OAuthFixture start(Path dir, Map<String, String> extra) {
        MockOAuth2Server oauth = new MockOAuth2Server(new OAuth2Config(false, null, null, true));
        oauth.start();
        try {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            PluginJarBuilder.plugin("mock-oauth").source("sample.oauth.Provider", PROVIDER)
                    .service(OAuthProvider.class, "sample.oauth.Provider").buildJar(plugins);
            PluginJarBuilder.plugin("recording").source("sample.recording.Source", SOURCE)
                    .service(MailSource.class, "sample.recording.Source").buildJar(plugins);
            Path record = dir.resolve("logins.txt");
            Map<String, String> settings = new HashMap<>();
            settings.put("mailroom.oauth.mock.client_id", "mailroom-test");
            settings.put("mailroom.oauth.mock.client_secret", "s3cret-client");
            settings.put("mailroom.oauth.mock.authorization_endpoint", oauth.authorizationEndpointUrl(ISSUER).toString());
            settings.put("mailroom.oauth.mock.token_endpoint", oauth.tokenEndpointUrl(ISSUER).toString());
            settings.putAll(extra);
            OAuthFixture fixture = new OAuthFixture(oauth, TestMailroom.start(dir, settings), record);
            // set once started: a start that fails must not send another fixture's logins to its directory
            System.setProperty("oauthfixture.record", record.toString());
            return fixture;
        } catch (IOException e) {
            oauth.shutdown();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            oauth.shutdown();
            throw e;
        }
    }

    /** The next authorization at mock-oauth2-server signs in as {@code email}. */
    void nextLoginAs(String email) {
        oauth.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, email, "JWT", List.of("mailroom-test"),
                Map.of("email", email), 3600));
    }

    /** GET /api/oauth/mock/authorize with {@code token}: the provider's URI it redirects to. */
    URI authorize(String token, String query) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/api/oauth/mock/authorize" + query))
                .header("Authorization", "Bearer " + token).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        // the browser keeps the cookie that binds the state to it
        response.headers().firstValue("Set-Cookie").ifPresent(cookie -> lastCookie = cookie.substring(0, cookie.indexOf(';')));
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    /** The cookie the last authorize gave the browser ({@code name=value}). */
    volatile String lastCookie;

    String base() {
        return "http://localhost:" + mailroom.mailroom().port();
    }

    /** The browser at the provider: signs in (no login page) and is sent back to the callback. */
    URI signIn(URI authorization) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(authorization).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    /**
     * The callback asking for JSON, with {@code token}, or with none as the browser that started
     * the authorization (its cookie).
     */
    HttpResponse<String> callback(URI callback, String token) {
        return callback(callback, token, token == null ? lastCookie : null);
    }

    HttpResponse<String> callback(URI callback, String token, String cookie) {
        // the redirect names the public URL (a proxy, in ProvidersTest); the test talks to the server itself
        URI local = URI.create(base() + callback.getRawPath() + "?" + callback.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(local).header("Accept", "application/json").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.build());
    }

    /** Authorize, sign in, call back: the callback's JSON. */
    JsonNode connect(String token, String query, String email) {
        nextLoginAs(email);
        HttpResponse<String> response = callback(signIn(authorize(token, query)), token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    /** The logins the recording source saw, oldest first: "MECHANISM username secret". */
    List<String> logins() {
        try {
            List<String> logins = Files.exists(record) ? Files.readAllLines(record) : List.of();
            // the access tokens mock-oauth2-server issued, for LogSecretScan
            logins.forEach(login -> io.mailroom.testkit.secrets.TestSecrets.remember(login.substring(login.lastIndexOf(' ') + 1)));
            return logins;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The token requests mock-oauth2-server received since the last call: each request's form. */
    List<Map<String, String>> tokenRequests() {
        List<Map<String, String>> requests = new java.util.ArrayList<>();
        RecordedRequest request;
        while ((request = nextRequest()) != null) {
            if (request.getPath() != null && request.getPath().endsWith("/token")) {
                Map<String, String> form = new HashMap<>();
                for (String pair : request.getBody().readUtf8().split("&")) {
                    int eq = pair.indexOf('=');
                    form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
                requests.add(form);
                for (String secret : List.of("refresh_token", "client_secret", "code_verifier")) {
                    io.mailroom.testkit.secrets.TestSecrets.remember(form.get(secret));
                }
            }
        }
        return requests;
    }

    /** The next request mock-oauth2-server received, or null when none came within a moment. */
    private RecordedRequest nextRequest() {
        try {
            return oauth.takeRequest(200, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // "no request found in queue within timeout"
            return null;
        }
    }

    /** The grant types of {@link #tokenRequests()}. */
    List<String> tokenGrants() {
        return tokenRequests().stream().map(form -> form.get("grant_type")).toList();
    }

    /** Pretends the mailbox's access token expires in a minute (inside the refresh-ahead window). */
    void expireSoon(long mailboxId) {
        mailroom.mailroom().core().database().jdbi().useHandle(handle -> handle.execute(
                "UPDATE oauth_grants SET expires_at = now() + interval '1 minute' WHERE mailbox_id = ?", mailboxId));
    }

    /**
     * Points the provider's token endpoint at {@code url} as an admin's stored setting would (no
     * credential check), or back to the configured one for null.
     */
    void useTokenEndpoint(String url) {
        mailroom.mailroom().core().database().jdbi().useHandle(handle -> {
            handle.execute("DELETE FROM oauth_providers WHERE id = 'mock'");
            if (url != null) {
                handle.execute("INSERT INTO oauth_providers (id, settings) VALUES ('mock', CAST(? AS jsonb))",
                        "{\"token_endpoint\": \"" + url + "\"}");
            }
        });
    }

    <T> T query(String sql, Class<T> type, Object... args) {
        return mailroom.mailroom().core().database().jdbi().withHandle(handle -> {
            var query = handle.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                query.bind(i, args[i]);
            }
            return query.mapTo(type).one();
        });
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return BROWSER.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            mailroom.close();
        } finally {
            oauth.shutdown();
        }
    }
}
