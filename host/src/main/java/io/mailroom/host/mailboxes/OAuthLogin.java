package io.mailroom.host.mailboxes;

import io.mailroom.api.source.Credential;

/**
 * How a mailbox whose {@code auth} is {@code oauth:<provider>} gets its credential: a fresh access
 * token (refreshed ahead of expiry) presented as {@code username}.
 */
@FunctionalInterface
public interface OAuthLogin {

    /**
     * @throws io.mailroom.api.AuthenticationFailedException when the grant is missing or refused
     * @throws io.mailroom.api.TemporaryException             when the token endpoint cannot be reached now
     * @throws io.mailroom.api.PermanentException             when the provider is not enabled
     */
    Credential credential(Mailbox mailbox, String username);
}
