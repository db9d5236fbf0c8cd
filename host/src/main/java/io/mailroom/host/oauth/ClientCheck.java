package io.mailroom.host.oauth;

import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.MailroomException;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProtocol;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.host.network.ShownError;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks a client registration against the token endpoint before a provider is enabled: an
 * exchange of a made-up code is refused with {@code invalid_client} (or
 * {@code unauthorized_client}) when the client id or secret is wrong, and with
 * {@code invalid_grant} when they are right, so an expired secret is found by the admin who set
 * it, not by the first mailbox that stops syncing.
 */
final class ClientCheck {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientCheck() {
    }

    /** Why the credentials are not usable, or empty when the server accepted the client. */
    static Optional<String> problem(OAuthProvider provider, OAuthClient client, OAuthProtocol standard) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String madeUp = "mailroom-check-" + HexFormat.of().formatHex(bytes);
        try {
            provider.exchangeCode(client, madeUp, madeUp + "-verifier-padding-to-43-characters", standard);
            return Optional.empty();
        } catch (OAuthRefusedException e) {
            return switch (e.error()) {
                case "invalid_client", "unauthorized_client" ->
                        Optional.of("the provider refused the client credentials: " + ShownError.of(e));
                default -> Optional.empty();
            };
        } catch (AuthenticationFailedException e) {
            // an override that does not say which error: only a grant error would be expected here
            return Optional.of("the provider refused the check of the client credentials: " + ShownError.of(e));
        } catch (MailroomException e) {
            return Optional.of("the client credentials could not be checked: " + ShownError.of(e));
        }
    }
}
