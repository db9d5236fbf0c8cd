package io.mailroom.plugins.imap;

import io.mailroom.api.PermanentException;
import io.mailroom.api.Settings;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.MailboxAccount;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import org.eclipse.angus.mail.imap.IMAPStore;

import java.util.Properties;

/**
 * Opens an Angus Mail session for one mailbox and logs in: the transport security from the
 * {@code security} setting, the authentication from the credential's mechanism (a password,
 * or SASL XOAUTH2 with the access token in the password's place), timeouts on every socket.
 */
final class ImapLogin {

    static final int TIMEOUT_MILLIS = 30_000;

    private ImapLogin() {
    }

    /** Logs in; the connection's sockets come from {@code sockets}. */
    static IMAPStore connect(MailboxAccount account, ConnectionSockets sockets) throws MessagingException {
        Settings settings = account.settings();
        String host = settings.get("host");
        int port = settings.getInt("port");
        Credential credential = account.credential();
        Properties properties = properties(settings.find("security").orElse("ssl"), credential);
        properties.put("mail.imap.socketFactory", sockets);
        // a failing factory is a bug to see, not a reason to connect some other way
        properties.setProperty("mail.imap.socketFactory.fallback", "false");
        Session session = Session.getInstance(properties);
        IMAPStore store = (IMAPStore) session.getStore("imap");
        store.connect(host, port, credential.username(), credential.secret());
        return store;
    }

    static Properties properties(String security, Credential credential) {
        Properties p = new Properties();
        p.setProperty("mail.imap.connectiontimeout", Integer.toString(TIMEOUT_MILLIS));
        p.setProperty("mail.imap.timeout", Integer.toString(TIMEOUT_MILLIS));
        // every fetch this plugin sends says BODY.PEEK itself; this covers Angus' own
        p.setProperty("mail.imap.peek", "true");
        switch (security) {
            case "ssl" -> {
                p.setProperty("mail.imap.ssl.enable", "true");
                p.setProperty("mail.imap.ssl.checkserveridentity", "true");
            }
            case "starttls" -> {
                p.setProperty("mail.imap.starttls.enable", "true");
                p.setProperty("mail.imap.starttls.required", "true");
                p.setProperty("mail.imap.ssl.checkserveridentity", "true");
            }
            case "none" -> {
                // plain text, for tests and trusted networks: the admin chose it
            }
            default -> throw new PermanentException("unknown security " + security + ": use ssl, starttls or none");
        }
        if (credential.mechanism() == Credential.Mechanism.XOAUTH2) {
            p.setProperty("mail.imap.auth.mechanisms", "XOAUTH2");
        }
        return p;
    }
}
