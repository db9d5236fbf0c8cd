package io.mailroom.testkit.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.oauth.AccountEmail;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.host.oauth.AuthorizationUri;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser's part of the flow at mock-oauth2-server: the host's authorization URI is opened,
 * the account signs in (no login page), and the redirect back carries the code.
 */
final class Authorizations {

    /** An authorization code and the PKCE verifier its request was made with. */
    record Code(String code, String verifier) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final MockOAuth2Server server;
    private final OAuthProvider provider;
    private final OAuthClient client;

    Authorizations(MockOAuth2Server server, OAuthProvider provider, OAuthClient client) {
        this.server = server;
        this.provider = provider;
        this.client = client;
    }

    /** Signs in as {@code address} for a token opening {@code protocol}: the code the redirect carries. */
    Code signIn(String protocol, String address) {
        return signIn(protocol, address, claims(provider.accountEmail(), address));
    }

    /** Signs in as {@code subject} with these claims in its tokens (and userinfo answer). */
    Code signIn(String protocol, String subject, Map<String, Object> claims) {
        // mock-oauth2-server's issuer is the endpoint's path before /token; callbacks are matched by it
        String path = client.endpoints().token().getPath();
        String issuer = path.substring(1, path.length() - "/token".length());
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuer, subject, "JWT",
                List.of(OAuthProviderContract.CLIENT_ID), claims, 3600));
        Pkce pkce = Pkce.create();
        URI authorization = AuthorizationUri.build(provider, client, AuthorizationUri.scopes(provider, protocol),
                "kit-state", pkce.challenge(), null);

        HttpResponse<String> response = send(HttpRequest.newBuilder(authorization).GET().build());
        if (response.statusCode() == 200 && response.body().contains("name=\"username\"")) {
            // prompt=login, consent or select_account: mock-oauth2-server shows its sign-in form,
            // which posts back to the same URI
            response = send(HttpRequest.newBuilder(authorization)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + encode(subject) + "&claims="
                            + encode(json(claims)))).build());
        }

        assertThat(response.statusCode()).as("the authorization endpoint's answer: %s", response.body()).isEqualTo(302);
        URI back = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(back.toString()).as("the redirect").startsWith(client.redirectUri() + "?");
        Map<String, String> query = query(back);
        assertThat(query).containsEntry("state", "kit-state").containsKey("code");
        return new Code(query.get("code"), pkce.verifier());
    }

    /** The address where the provider says it is read: its first ID token claim, or its userinfo field. */
    private static Map<String, Object> claims(AccountEmail where, String address) {
        return Map.of(where.userinfoField() != null ? where.userinfoField() : where.idTokenClaims().getFirst(), address);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return query;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String json(Map<String, Object> claims) {
        try {
            return JSON.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return BROWSER.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
