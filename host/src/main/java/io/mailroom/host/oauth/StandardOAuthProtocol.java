package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.PermanentException;
import io.mailroom.api.ServerText;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProtocol;
import io.mailroom.api.oauth.TokenSet;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The token calls of OAuth 2.0 as RFC 6749 and RFC 7636 write them: form-encoded POSTs to the
 * token endpoint with the client credentials in the body ({@code client_secret_post}, which
 * Google and Microsoft both take), and the answer read as section 5 says.
 *
 * <p>Mapping: a 2xx answer without an access token, or a 4xx other than the refusals below, is
 * permanent (the server does not speak OAuth as declared). {@code invalid_grant},
 * {@code invalid_client}, {@code unauthorized_client}, {@code invalid_scope} and
 * {@code access_denied} are {@link OAuthRefusedException}s: an admin must act. A 5xx answer,
 * a 429, a network error or a timeout is temporary. Answers over {@value #MAX_ANSWER_BYTES} bytes
 * are not parsed. Messages carry the server's error code and a short excerpt of its description,
 * never a token or the client secret.
 */
public final class StandardOAuthProtocol implements OAuthProtocol {

    static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** When a server leaves {@code expires_in} out, assume the common hour. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport http;
    private final Clock clock;

    public StandardOAuthProtocol(HttpTransport http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public TokenSet exchangeCode(OAuthClient client, String code, String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", client.redirectUri().toString());
        form.put("code_verifier", codeVerifier);
        return post(client, form);
    }

    @Override
    public TokenSet refresh(OAuthClient client, String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return post(client, form);
    }

    @Override
    public HttpTransport http() {
        return http;
    }

    private TokenSet post(OAuthClient client, Map<String, String> form) {
        form.put("client_id", client.clientId());
        if (client.clientSecret() != null) {
            form.put("client_secret", client.clientSecret());
        }
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpTransport.Request request = new HttpTransport.Request("POST", client.endpoints().token(),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
        return readTokenResponse(http.send(request));
    }

    @Override
    public TokenSet readTokenResponse(HttpTransport.Response response) {
        int status = response.status();
        if (status >= 500 || status == 429) {
            throw new TemporaryException("the token endpoint answered HTTP " + status);
        }
        JsonNode answer = parse(response);
        if (answer != null && answer.hasNonNull("error")) {
            throw refusal(status, answer);
        }
        if (!response.isSuccess()) {
            throw new PermanentException("the token endpoint answered HTTP " + status + " without an OAuth error");
        }
        if (answer == null || !answer.path("access_token").isTextual() || answer.path("access_token").asText().isEmpty()) {
            throw new PermanentException("the token endpoint's answer has no access_token");
        }
        long expiresIn = answer.path("expires_in").canConvertToLong() && answer.path("expires_in").asLong() > 0
                ? answer.path("expires_in").asLong() : DEFAULT_LIFETIME.toSeconds();
        return new TokenSet(answer.get("access_token").asText(), text(answer, "refresh_token"),
                clock.instant().plusSeconds(expiresIn), text(answer, "scope"), text(answer, "id_token"));
    }

    private static OAuthRefusedException refusal(int status, JsonNode answer) {
        String error = ServerText.excerpt(answer.get("error").asText());
        String description = answer.hasNonNull("error_description")
                ? ": " + ServerText.excerpt(answer.get("error_description").asText()) : "";
        return new OAuthRefusedException(error, "the token endpoint refused (HTTP " + status + ", " + error + ")"
                + description);
    }

    /** The JSON object of the answer, or null when it is not one (or too large to read). */
    private static JsonNode parse(HttpTransport.Response response) {
        byte[] body = response.body();
        if (body.length == 0 || body.length > MAX_ANSWER_BYTES) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }
}
