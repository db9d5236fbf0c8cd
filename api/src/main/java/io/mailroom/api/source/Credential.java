package io.mailroom.api.source;

import java.util.Objects;

/**
 * Login material for a source. The host resolves it before every connection: a sealed password
 * is opened, an OAuth token is refreshed when near expiry. {@link #toString()} hides the secret.
 *
 * @param username  the login name
 * @param secret    the password, or the OAuth access token
 * @param mechanism how the secret is presented
 */
public record Credential(String username, String secret, Mechanism mechanism) {

    /** How a secret is presented to the server. */
    public enum Mechanism {
        /** Plain login (IMAP LOGIN / AUTHENTICATE PLAIN, POP3 USER/PASS). */
        PASSWORD,
        /** SASL XOAUTH2 with an OAuth 2.0 access token. */
        XOAUTH2
    }

    public Credential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(mechanism, "mechanism");
    }

    public static Credential password(String username, String password) {
        return new Credential(username, password, Mechanism.PASSWORD);
    }

    /**
     * An OAuth 2.0 access token presented with SASL XOAUTH2. {@code username} is the mailbox's
     * login name, which for a shared mailbox is not the account that authorized the token.
     */
    public static Credential xoauth2(String username, String accessToken) {
        return new Credential(username, accessToken, Mechanism.XOAUTH2);
    }

    @Override
    public String toString() {
        return "Credential[username=" + username + ", mechanism=" + mechanism + ", secret=***]";
    }
}
