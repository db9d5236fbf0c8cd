package io.mailroom.host.outbound;

import io.mailroom.api.AddressRefusedException;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.network.ShownError;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import javax.net.SocketFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Properties;

/**
 * One SMTP attempt with Angus Mail's transport: connect (through the host's guarded sockets, so
 * the private-address rule holds at connect time), TLS as configured, log in ({@link SmtpLogin}:
 * a password, or XOAUTH2 with the mailbox's OAuth token), MAIL, RCPT, DATA,
 * the message's stored bytes as they are, and the final dot. Two hooks run, and must commit,
 * just before DATA and just before the final dot: they are how a restart later tells an attempt
 * that cannot have delivered from one that may have (see {@link OutboxWorker}).
 */
final class SmtpDelivery {

    /** What an attempt records as it goes; a hook that throws stops the attempt there. */
    interface Progress {
        void beforeData();

        void beforeEndOfData();
    }

    private final SmtpLogin logins;
    private final PrivateAddressPolicy addresses;
    private final SocketFactory sockets;

    SmtpDelivery(SmtpLogin logins, PrivateAddressPolicy addresses, SocketFactory sockets) {
        this.logins = logins;
        this.addresses = addresses;
        this.sockets = sockets;
    }

    /** Sends; returns the server's reply to the final dot. */
    String send(SmtpSettings smtp, String envelopeFrom, List<String> recipients, byte[] raw, Progress progress)
            throws DeliveryFailure {
        Connection connection = connection(smtp, envelopeFrom, progress);
        HookedTransport transport = connection.transport();
        try {
            connection.logIn(smtp);
            MimeMessage message = new MimeMessage(connection.session(), new ByteArrayInputStream(raw));
            Address[] to = new Address[recipients.size()];
            for (int i = 0; i < to.length; i++) {
                to[i] = new InternetAddress(recipients.get(i), false);
            }
            transport.sendMessage(message, to);
            return transport.getLastServerResponse();
        } catch (SMTPSendFailedException e) {
            throw new DeliveryFailure(reply(e.getReturnCode(), e.getMessage()), e.getReturnCode() >= 500, e);
        } catch (SendFailedException e) {
            throw recipientsRefused(e);
        } catch (AuthenticationFailedException e) {
            // The account's password or rights are wrong: that is fixed on the mailbox, not the message.
            throw new DeliveryFailure("login refused: " + ShownError.of(e), false, e);
        } catch (MessagingException e) {
            boolean refused = causedBy(e, AddressRefusedException.class);
            throw new DeliveryFailure(connectionError(e), refused, e);
        } catch (RuntimeException e) {
            if (e instanceof LeaseLost) {
                throw e;
            }
            throw new DeliveryFailure(ShownError.of(e), causedBy(e, AddressRefusedException.class), e);
        } finally {
            closeQuietly(transport);
        }
    }

    /** SMTP extensions a probe reports when the server announces them. */
    static final List<String> EXTENSIONS = List.of("STARTTLS", "AUTH", "SIZE", "8BITMIME", "SMTPUTF8", "PIPELINING",
            "CHUNKING", "DSN", "ENHANCEDSTATUSCODES", "REQUIRETLS");

    /** Connects, secures and logs in as configured; returns the extensions the server announced after that. */
    List<String> probe(SmtpSettings smtp, String envelopeFrom) throws DeliveryFailure {
        Connection connection = connection(smtp, envelopeFrom, null);
        SMTPTransport transport = connection.transport();
        try {
            connection.logIn(smtp);
            List<String> announced = new java.util.ArrayList<>();
            for (String extension : EXTENSIONS) {
                if (transport.supportsExtension(extension)) {
                    String parameter = transport.getExtensionParameter(extension);
                    announced.add(parameter == null || parameter.isBlank() ? extension : extension + " " + parameter);
                }
            }
            return announced;
        } catch (AuthenticationFailedException e) {
            throw new DeliveryFailure("login refused: " + ShownError.of(e), true, e);
        } catch (MessagingException e) {
            throw new DeliveryFailure(connectionError(e), true, e);
        } finally {
            closeQuietly(transport);
        }
    }

    /** One connection's session, transport and login, once the private-address rule allowed the host. */
    private record Connection(Session session, HookedTransport transport, SmtpLogin.Login login) {

        void logIn(SmtpSettings smtp) throws MessagingException {
            transport.connect(smtp.host(), smtp.port(), login.username(), login.secret());
        }
    }

    private Connection connection(SmtpSettings smtp, String envelopeFrom, Progress progress) throws DeliveryFailure {
        try {
            addresses.checkHost(smtp.host());
        } catch (AddressRefusedException e) {
            throw new DeliveryFailure(ShownError.of(e), true, e);
        }
        SmtpLogin.Login login = logins.of(smtp);
        Session session = Session.getInstance(properties(smtp, envelopeFrom, login));
        return new Connection(session, new HookedTransport(session, progress), login);
    }

    private static void closeQuietly(SMTPTransport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException ignored) {
            // the outcome is known already; a failing QUIT changes nothing
        }
    }

    /** A hook found that this node no longer holds the message's lease: another node has it now. */
    static final class LeaseLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseLost() {
            super("the lease of this attempt was lost");
        }
    }

    private Properties properties(SmtpSettings smtp, String envelopeFrom, SmtpLogin.Login login) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", smtp.host());
        p.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        p.setProperty("mail.smtp.connectiontimeout", "30000");
        p.setProperty("mail.smtp.timeout", "60000");
        p.setProperty("mail.smtp.from", envelopeFrom);
        // EHLO names the mailbox's domain, not this machine's (which would leak an internal name).
        p.setProperty("mail.smtp.localhost", envelopeFrom.substring(envelopeFrom.lastIndexOf('@') + 1));
        p.put("mail.smtp.socketFactory", sockets);
        p.setProperty("mail.smtp.socketFactory.fallback", "false");
        switch (smtp.security()) {
            case "ssl" -> {
                p.setProperty("mail.smtp.ssl.enable", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
            case "starttls" -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
            default -> {
            }
        }
        if (login.username() != null) {
            p.setProperty("mail.smtp.auth", "true");
        }
        if (login.xoauth2()) {
            // Angus leaves XOAUTH2 out unless asked; only it, so the token is never sent as a password
            p.setProperty("mail.smtp.auth.mechanisms", "XOAUTH2");
        }
        return p;
    }

    private static DeliveryFailure recipientsRefused(SendFailedException e) {
        boolean temporary = false;
        String reply = ShownError.of(e);
        for (Exception next = e.getNextException(); next != null;
             next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException refused) {
                reply = reply(refused.getReturnCode(), refused.getMessage());
                temporary |= refused.getReturnCode() < 500;
            } else if (next instanceof SMTPSendFailedException failed) {
                reply = reply(failed.getReturnCode(), failed.getMessage());
                temporary |= failed.getReturnCode() < 500;
            }
        }
        return new DeliveryFailure(reply, !temporary, e);
    }

    private static String reply(int code, String message) {
        String text = message == null ? "" : message.strip();
        return text.startsWith(Integer.toString(code)) ? text : code + " " + text;
    }

    private static String connectionError(MessagingException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e.getNextException();
        return cause instanceof IOException io ? "connection failed: " + ShownError.of(io) : ShownError.of(e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t instanceof MessagingException m && m.getNextException() != null && type.isInstance(m.getNextException())) {
                return true;
            }
        }
        return false;
    }

    /** Angus's transport with the two recording points of an attempt. */
    private static final class HookedTransport extends SMTPTransport {
        private final Progress progress;

        HookedTransport(Session session, Progress progress) {
            super(session, new URLName("smtp", null, -1, null, null, null), "smtp", false);
            this.progress = progress;
        }

        @Override
        protected OutputStream data() throws MessagingException {
            progress.beforeData();
            return super.data();
        }

        @Override
        protected void finishData() throws IOException, MessagingException {
            progress.beforeEndOfData();
            super.finishData();
        }
    }
}
