package io.mailroom.plugins.imap;

import io.mailroom.api.AddressRefusedException;
import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.MailroomException;
import io.mailroom.api.PermanentException;
import io.mailroom.api.ServerText;
import io.mailroom.api.TemporaryException;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.ReadOnlyFolderException;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

/**
 * Runs a piece of Angus Mail work the way every call of this plugin needs it: with this
 * plugin's class loader as the thread's context class loader, and with Angus' exceptions
 * turned into the API's.
 *
 * <p>Why the class loader: Jakarta Mail finds its providers and its {@code StreamProvider}
 * through the context class loader. In the host that is the application's loader, which holds
 * the host's own Angus Mail: its classes are not ours, and Jakarta Mail would fail with
 * "not a subtype" or use the wrong provider.
 */
final class ImapCall {

    /** Work that talks to the server. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws MessagingException, IOException;
    }

    private ImapCall() {
    }

    /** Runs {@code work}; {@code what} names it in failure messages ("reading INBOX"). */
    static <T> T run(String what, Work<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ImapCall.class.getClassLoader());
        try {
            return work.run();
        } catch (MailroomException e) {
            throw e;
        } catch (MessagingException | IOException e) {
            throw translate(what, e);
        } catch (IllegalStateException e) {
            // Angus says "folder is not open" this way after the server dropped the connection
            throw new TemporaryException(what + ": " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static MailroomException translate(String what, Exception e) {
        AddressRefusedException refused = cause(e, AddressRefusedException.class);
        if (refused != null) {
            // the host's address rule: retrying cannot help, and the rule's own words say why
            return new PermanentException(what + ": " + refused.getMessage(), e);
        }
        String reason = what + ": " + describe(e);
        if (e instanceof jakarta.mail.AuthenticationFailedException) {
            return new AuthenticationFailedException(what + ": the server refused the login ("
                    + describe(e) + ")", e);
        }
        if (causedBy(e, CertificateException.class) || causedBy(e, CertPathValidatorException.class)
                || causedBy(e, SSLPeerUnverifiedException.class)) {
            return new PermanentException(what + ": the server's TLS certificate is not trusted for this host ("
                    + describe(e) + ")", e);
        }
        if (String.valueOf(e.getMessage()).contains("STARTTLS required")) {
            return new PermanentException(what + ": the server does not offer STARTTLS; use security ssl, "
                    + "or none on a trusted network", e);
        }
        if (e instanceof FolderNotFoundException || e instanceof ReadOnlyFolderException) {
            return new PermanentException(reason, e);
        }
        return new TemporaryException(reason, e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return cause(e, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t.getCause()) {
                T found = cause(m.getNextException(), type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * The exception's message, and its cause's when that says more (connection refused…), as a
     * short excerpt: Angus puts the server's own words (a NO or BYE line) into its messages.
     */
    private static String describe(Throwable e) {
        return ServerText.excerpt(fullDescription(e));
    }

    private static String fullDescription(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return message;
    }
}
