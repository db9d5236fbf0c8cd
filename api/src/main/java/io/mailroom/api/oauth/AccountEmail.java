package io.mailroom.api.oauth;

import java.util.List;
import java.util.Objects;

/**
 * Where the host reads the address of the account that authorized: the first present claim of the
 * ID token (the token endpoint's answer, read over TLS from the server itself, as OpenID Connect
 * Core 3.1.3.7 allows), or a field of the userinfo endpoint's answer.
 *
 * @param idTokenClaims  the ID token claims to try in order; empty when the userinfo endpoint is used
 * @param userinfoField  the field of the userinfo answer, or {@code null} when the ID token is used
 */
public record AccountEmail(List<String> idTokenClaims, String userinfoField) {

    public AccountEmail {
        idTokenClaims = List.copyOf(idTokenClaims);
        if (idTokenClaims.isEmpty() == (userinfoField == null)) {
            throw new IllegalArgumentException("name either ID token claims or a userinfo field");
        }
    }

    /** The first of {@code claims} present in the ID token ({@code email}, {@code preferred_username}). */
    public static AccountEmail fromIdToken(String... claims) {
        return new AccountEmail(List.of(claims), null);
    }

    /** A field of the userinfo endpoint's JSON answer, fetched with the new access token. */
    public static AccountEmail fromUserinfo(String field) {
        return new AccountEmail(List.of(), Objects.requireNonNull(field, "field"));
    }
}
