package io.mailroom.host.outbound;

import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.MailroomException;
import io.mailroom.api.source.Credential;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxConnector;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.OAuthLogin;
import io.mailroom.host.network.ShownError;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Jdbi;

/**
 * Who an SMTP attempt logs in as. A stored SMTP password wins (a relay of its own); otherwise a
 * mailbox whose {@code auth} is {@code oauth:<provider>} logs in with XOAUTH2 and a fresh access
 * token of its grant, refreshed ahead of expiry exactly as for IMAP ({@link OAuthLogin}), as the
 * SMTP username, else the source's username, else the mailbox's address. A refused grant marks
 * the mailbox {@code auth_failed} as a refused sync does.
 */
final class SmtpLogin {

    /** A login; no login at all when {@code username} is null. */
    record Login(String username, String secret, boolean xoauth2) {
        static final Login NONE = new Login(null, null, false);

        @Override
        public String toString() {
            return "Login[" + username + (xoauth2 ? ", XOAUTH2" : "") + "]";
        }
    }

    private final Jdbi jdbi;
    private final SecretSealer sealer;
    private final OAuthLogin oauth;

    SmtpLogin(Jdbi jdbi, SecretSealer sealer, OAuthLogin oauth) {
        this.jdbi = jdbi;
        this.sealer = sealer;
        this.oauth = oauth;
    }

    /** The login for {@code smtp}; a failure to get a token is worth another attempt later. */
    Login of(SmtpSettings smtp) throws DeliveryFailure {
        if (smtp.password() != null) {
            return new Login(smtp.username(), sealer.open(smtp.password(), SmtpSettings.secretContext(smtp.mailboxId())),
                    false);
        }
        Mailbox mailbox = jdbi.onDemand(MailboxDao.class).find(smtp.mailboxId()).orElse(null);
        if (mailbox == null || mailbox.auth() == null || !mailbox.auth().startsWith("oauth:")) {
            return smtp.username() == null ? Login.NONE : new Login(smtp.username(), null, false);
        }
        String username = smtp.username();
        if (username == null) {
            String source = MailboxConnector.storedSettings(mailbox).get("username");
            username = source == null || source.isBlank() ? mailbox.email() : source;
        }
        try {
            Credential credential = oauth.credentialMarkingRefusal(mailbox, username);
            return new Login(credential.username(), credential.secret(),
                    credential.mechanism() == Credential.Mechanism.XOAUTH2);
        } catch (AuthenticationFailedException e) {
            // fixed on the mailbox (authorize it again), not on the message: retried until then
            throw new DeliveryFailure("login refused: " + ShownError.of(e), false, e);
        } catch (MailroomException e) {
            throw new DeliveryFailure(ShownError.of(e), false, e);
        }
    }
}
