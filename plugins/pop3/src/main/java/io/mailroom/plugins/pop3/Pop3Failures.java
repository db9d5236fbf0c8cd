package io.mailroom.plugins.pop3;

import io.mailroom.api.AddressRefusedException;
import io.mailroom.api.MailroomException;
import io.mailroom.api.PermanentException;
import io.mailroom.api.TemporaryException;

import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * Turns I/O failures into the API's exceptions, with a message an administrator can act on:
 * temporary for the network, permanent for a TLS certificate that is not trusted (it will not
 * become trusted by retrying). Never includes a secret: the causes come from sockets, not from
 * the commands sent.
 */
final class Pop3Failures {

    private Pop3Failures() {
    }

    static MailroomException of(Pop3Settings settings, String what, Exception cause) {
        String prefix = "POP3 server " + settings.address() + ": " + what + ": ";
        if (cause instanceof AddressRefusedException) {
            // the host's address rule: retrying cannot help
            return new PermanentException(prefix + cause.getMessage(), cause);
        }
        if (cause instanceof SSLHandshakeException && hasCause(cause, CertificateException.class)) {
            return new PermanentException(prefix + "its TLS certificate is not trusted (" + cause.getMessage() + ")", cause);
        }
        String reason = switch (cause) {
            case UnknownHostException e -> "unknown host " + e.getMessage();
            case ConnectException e -> "connection refused (" + e.getMessage() + ")";
            case SocketTimeoutException e -> "no answer in time (" + e.getMessage() + ")";
            default -> String.valueOf(cause.getMessage());
        };
        return new TemporaryException(prefix + reason, cause);
    }

    /** A failure to connect, naming a likely mistake: a TLS port with plain text or the reverse. */
    static MailroomException ofConnect(Pop3Settings settings, Exception cause) {
        boolean implicitTls = settings.security() == Pop3Settings.Security.SSL;
        String hint = "";
        if (!implicitTls && settings.port() == 995) {
            hint = " (port 995 is POP3 over TLS: use security ssl, or port 110 for "
                    + settings.security().name().toLowerCase(Locale.ROOT) + ")";
        } else if (implicitTls && settings.port() == 110) {
            hint = " (port 110 is plain POP3: use security starttls, or port 995 for ssl)";
        }
        return of(settings, "cannot connect" + hint, cause);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
