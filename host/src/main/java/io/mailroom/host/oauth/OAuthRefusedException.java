package io.mailroom.host.oauth;

import io.mailroom.api.AuthenticationFailedException;

/**
 * A token endpoint's refusal (RFC 6749 section 5.2), with its error code, so the host can tell a
 * bad client ({@code invalid_client}) from a dead grant ({@code invalid_grant}).
 */
public final class OAuthRefusedException extends AuthenticationFailedException {

    private final String error;

    public OAuthRefusedException(String error, String message) {
        super(message);
        this.error = error;
    }

    /** The {@code error} code the server answered, e.g. {@code invalid_grant}. */
    public String error() {
        return error;
    }
}
