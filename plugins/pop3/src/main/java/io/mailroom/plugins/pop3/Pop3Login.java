package io.mailroom.plugins.pop3;

import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.MailroomException;
import io.mailroom.api.PermanentException;
import io.mailroom.api.ServerText;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.source.Credential;
import io.mailroom.plugins.pop3.Pop3Client.Reply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Logs in: USER/PASS, or SASL PLAIN where the server offers SASL but not USER, or SASL XOAUTH2
 * with an OAuth access token (the one-line form with an initial response, or Microsoft's two-step
 * form). The XOAUTH2 {@code user} is the credential's username: the mailbox's login name, which
 * for a shared mailbox is not the account that authorized the token. A refusal
 * becomes {@link AuthenticationFailedException}, except where the server's response code
 * (RFC 3206) says the trouble is passing ({@code [IN-USE]}, {@code [LOGIN-DELAY]},
 * {@code [SYS/TEMP]}) or lasting ({@code [SYS/PERM]}).
 */
final class Pop3Login {

    private Pop3Login() {
    }

    static void login(Pop3Client client, Credential credential, List<String> capabilities, Pop3Settings settings)
            throws IOException {
        if (hasLineBreak(credential.username()) || hasLineBreak(credential.secret())) {
            throw new PermanentException("the POP3 username or password contains a line break, which POP3 cannot send");
        }
        Reply reply = switch (credential.mechanism()) {
            case XOAUTH2 -> xoauth2(client, credential);
            case PASSWORD -> usePlain(capabilities) ? plain(client, credential) : userPass(client, credential);
        };
        if (!reply.ok()) {
            throw refused(reply, credential, settings);
        }
    }

    private static Reply userPass(Pop3Client client, Credential credential) throws IOException {
        Reply user = client.command("USER " + credential.username());
        return user.ok() ? client.command("PASS " + credential.secret()) : user;
    }

    private static Reply plain(Pop3Client client, Credential credential) throws IOException {
        return authenticate(client, "PLAIN", "\0" + credential.username() + "\0" + credential.secret());
    }

    /**
     * The one-line form first (RFC 5034 with an initial response, as Gmail documents it); a server
     * that refuses it gets the two-step form Microsoft 365 documents for POP3: {@code AUTH XOAUTH2},
     * an empty {@code +} challenge, then the response on its own line.
     */
    private static Reply xoauth2(Pop3Client client, Credential credential) throws IOException {
        String response = "user=" + credential.username() + "\u0001auth=Bearer " + credential.secret() + "\u0001\u0001";
        Reply oneLine = authenticate(client, "XOAUTH2", response);
        if (oneLine.ok()) {
            return oneLine;
        }
        Reply challenge = client.command("AUTH XOAUTH2");
        if (challenge.status() != Reply.Status.CONTINUE) {
            return oneLine;
        }
        Reply reply = client.command(Base64.getEncoder().encodeToString(response.getBytes(StandardCharsets.UTF_8)));
        if (reply.status() == Reply.Status.CONTINUE) {
            // a challenge after the response carries the error: answer empty to get the -ERR
            reply = client.command("");
        }
        return reply;
    }

    private static Reply authenticate(Pop3Client client, String mechanism, String initialResponse) throws IOException {
        String encoded = Base64.getEncoder().encodeToString(initialResponse.getBytes(StandardCharsets.UTF_8));
        Reply reply = client.command("AUTH " + mechanism + " " + encoded);
        if (reply.status() == Reply.Status.CONTINUE) {
            // a challenge after an initial response carries the error (XOAUTH2): answer empty to get the -ERR
            reply = client.command("");
        }
        return reply;
    }

    /** SASL PLAIN when the server lists SASL PLAIN but not USER; USER/PASS otherwise. */
    private static boolean usePlain(List<String> capabilities) {
        boolean user = false;
        boolean saslPlain = false;
        for (String line : capabilities) {
            String[] words = line.toUpperCase(Locale.ROOT).trim().split("\\s+");
            user |= words[0].equals("USER");
            saslPlain |= words[0].equals("SASL") && List.of(words).contains("PLAIN");
        }
        return saslPlain && !user;
    }

    private static MailroomException refused(Reply reply, Credential credential, Pop3Settings settings) {
        String text = ServerText.excerpt(reply.text());
        String code = text.startsWith("[") && text.indexOf(']') > 0
                ? text.substring(1, text.indexOf(']')).toUpperCase(Locale.ROOT) : "";
        String message = "POP3 server " + settings.address() + " refused the login of " + credential.username()
                + " (" + credential.mechanism() + "): " + text;
        return switch (code) {
            case "IN-USE", "LOGIN-DELAY", "SYS/TEMP" -> new TemporaryException(message);
            case "SYS/PERM" -> new PermanentException(message);
            default -> new AuthenticationFailedException(message);
        };
    }

    private static boolean hasLineBreak(String value) {
        return value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
    }
}
