package io.mailroom.host.mailboxes;

import io.mailroom.api.source.Credential;

/**
 * How a mailbox whose {@code auth} is {@code oauth:<provider>} gets its credential: a fresh access
 * token (refreshed ahead of expiry) presented as {@code username}.
 */
public interface OAuthLogin {

    /**
     * @throws io.mailroom.api.AuthenticationFailedException when the grant is missing or refused
     * @throws io.mailroom.api.TemporaryException             when the token endpoint cannot be reached now
     * @throws io.mailroom.api.PermanentException             when the provider is not enabled
     */
    Credential credential(Mailbox mailbox, String username);

    /**
     * As {@link #credential}, for a caller with no failure handling of its own (sending mail): a
     * refused grant also marks the mailbox {@code auth_failed} and tells its owner once per
     * episode, as a refused sync does.
     */
    Credential credentialMarkingRefusal(Mailbox mailbox, String username);
}
