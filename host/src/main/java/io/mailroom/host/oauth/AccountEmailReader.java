package io.mailroom.host.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.oauth.AccountEmail;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.TokenSet;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;

/**
 * Reads the address of the account that authorized, where the provider declared it. The ID token
 * came straight from the token endpoint over TLS, so its claims are read without checking its
 * signature (OpenID Connect Core 3.1.3.7, item 6); it is never used to log anyone in to Mailroom.
 * Public for the provider contract kit (mailroom-oauth-testkit), which runs plugins through it.
 */
public final class AccountEmailReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = StandardOAuthProtocol.MAX_ANSWER_BYTES;

    private AccountEmailReader() {
    }

    /** The address, or null when the answer does not tell it. */
    public static String read(AccountEmail where, TokenSet tokens, OAuthClient client, HttpTransport http) {
        if (where.userinfoField() != null) {
            if (client.endpoints().userinfo() == null) {
                return null;
            }
            HttpTransport.Response response = http.send(new HttpTransport.Request("GET", client.endpoints().userinfo(),
                    Map.of("Authorization", "Bearer " + tokens.accessToken(), "Accept", "application/json"), null));
            JsonNode info = response.isSuccess() ? json(response.body()) : null;
            return info == null ? null : text(info, where.userinfoField());
        }
        if (tokens.idToken() == null) {
            return null;
        }
        String[] parts = tokens.idToken().split("\\.", -1);
        if (parts.length != 3 || parts[1].length() > MAX_BYTES) {
            return null;
        }
        JsonNode claims;
        try {
            claims = json(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (claims == null) {
            return null;
        }
        for (String claim : where.idTokenClaims()) {
            String value = text(claims, claim);
            if (value != null && value.contains("@")) {
                return value;
            }
        }
        return null;
    }

    private static JsonNode json(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText().strip() : null;
    }
}
