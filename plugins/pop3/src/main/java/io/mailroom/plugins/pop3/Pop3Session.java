package io.mailroom.plugins.pop3;

import io.mailroom.api.MailroomException;
import io.mailroom.api.PermanentException;
import io.mailroom.api.ServerText;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.ContentSpool;
import io.mailroom.api.source.RawContent;
import io.mailroom.plugins.pop3.Pop3Client.Reply;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A logged-in POP3 session: the maildrop as the server listed it (fixed for the session), the
 * messages marked for deletion, and the commands Mailroom needs, with failures turned into the
 * API's exceptions. Nothing is deleted on the server unless {@link #quit()} succeeds: POP3
 * applies DELEs only when the session ends with QUIT.
 */
final class Pop3Session implements AutoCloseable {

    private final Pop3Client client;
    private final Pop3Settings settings;
    private final System.Logger log;
    private final List<String> capabilities;
    private final Set<Integer> deleted = new HashSet<>();
    private List<ListedMessage> listing;
    private boolean open = true;

    private Pop3Session(Pop3Client client, Pop3Settings settings, System.Logger log, List<String> capabilities) {
        this.client = client;
        this.settings = settings;
        this.log = log;
        this.capabilities = List.copyOf(capabilities);
        client.pipelining(hasCapability("PIPELINING"));
    }

    /** Connects, secures and logs in; fails when the server cannot name messages by UIDL. */
    static Pop3Session start(Pop3Settings settings, Credential credential, SocketFactory sockets, SSLSocketFactory tls,
                             Duration timeout, System.Logger log) {
        Pop3Client client = null;
        try {
            client = Pop3Client.connect(settings.host(), settings.port(),
                    settings.security() == Pop3Settings.Security.SSL, sockets, tls, timeout);
            List<String> capabilities = capabilities(client);
            if (settings.security() == Pop3Settings.Security.STARTTLS) {
                Reply reply = client.startTls();
                if (!reply.ok()) {
                    throw new PermanentException("POP3 server " + settings.address()
                            + " refused STLS, so security starttls cannot be used: " + ServerText.excerpt(reply.text()));
                }
                capabilities = capabilities(client);
            }
            Pop3Login.login(client, credential, capabilities, settings);
            List<String> afterLogin = capabilities(client);
            Pop3Session session = new Pop3Session(client, settings, log, afterLogin.isEmpty() ? capabilities : afterLogin);
            if (!session.hasCapability("UIDL")) {
                session.listing(); // a server may leave UIDL out of CAPA and still answer it
            }
            return session;
        } catch (IOException e) {
            if (client != null) {
                client.close();
            }
            throw Pop3Failures.ofConnect(settings, e);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            throw e;
        }
    }

    /** The CAPA lines as the server wrote them (empty when it has no CAPA). */
    List<String> capabilities() {
        return capabilities;
    }

    boolean isOpen() {
        return open;
    }

    /** How many messages the maildrop holds, not counting those marked for deletion. */
    long messageCount() {
        if (listing != null) {
            return listing().size();
        }
        try {
            Reply reply = client.command("STAT");
            if (!reply.ok()) {
                throw new TemporaryException("POP3 server " + settings.address() + " refused STAT: " + ServerText.excerpt(reply.text()));
            }
            return Long.parseLong(reply.text().split(" ")[0]);
        } catch (IOException | NumberFormatException e) {
            throw broken("STAT failed", e);
        }
    }

    /** The messages in listing order, without those marked for deletion in this session. */
    List<ListedMessage> listing() {
        if (listing == null) {
            listing = readListing();
        }
        return listing.stream().filter(message -> !deleted.contains(message.number())).toList();
    }

    private List<ListedMessage> readListing() {
        Map<String, List<String>> replies = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        try {
            client.pipeline(List.of("UIDL", "LIST"), command -> command, (command, reply) -> {
                if (reply.ok()) {
                    replies.put(command, client.readLines());
                } else {
                    errors.put(command, ServerText.excerpt(reply.text()));
                }
            });
        } catch (IOException e) {
            throw broken("listing the maildrop failed", e);
        }
        try {
            return parseListing(replies, errors);
        } catch (NoUidlException e) {
            close();
            throw e;
        } catch (RuntimeException e) {
            throw broken("the server's UIDL or LIST answer cannot be read", e);
        }
    }

    private List<ListedMessage> parseListing(Map<String, List<String>> replies, Map<String, String> errors) {
        if (errors.containsKey("UIDL")) {
            throw new NoUidlException("POP3 server " + settings.address() + " does not support UIDL (it answered \""
                    + errors.get("UIDL") + "\"). Mailroom needs UIDL to import every message exactly once; "
                    + "without it a message cannot be told apart from a new one.");
        }
        return ListedMessage.listing(replies.get("UIDL"), replies.getOrDefault("LIST", List.of()),
                duplicate -> log.log(System.Logger.Level.WARNING, "POP3 server {0} lists UIDL {1} twice; message {2} is skipped",
                        settings.address(), duplicate.uidl(), duplicate.number()));
    }

    /** Marks messages for deletion; the server deletes them when the session ends with QUIT. */
    void delete(Collection<ListedMessage> messages) {
        List<ListedMessage> marked = messages.stream().filter(m -> !deleted.contains(m.number())).toList();
        try {
            client.pipeline(marked, message -> "DELE " + message.number(), (message, reply) -> {
                if (reply.ok()) {
                    deleted.add(message.number());
                } else {
                    log.log(System.Logger.Level.WARNING, "POP3 server {0} refused DELE of {1}: {2}",
                            settings.address(), message.uidl(), ServerText.excerpt(reply.text()));
                }
            });
        } catch (IOException e) {
            throw broken("DELE failed", e);
        }
    }

    /** A retrieved message. */
    record Retrieved(ListedMessage message, RawContent content) {
    }

    /**
     * Retrieves messages (RETR) into the host's spool, in order, keeping at most
     * {@code readLimit} bytes of each; a message the server refuses is left out.
     */
    List<Retrieved> retrieve(List<ListedMessage> messages, ContentSpool spool, long readLimit) {
        List<Retrieved> retrieved = new ArrayList<>(messages.size());
        try {
            client.pipeline(messages, message -> "RETR " + message.number(), (message, reply) -> {
                if (reply.ok()) {
                    try (ContentSpool.Writer content = spool.writer(message.size(), readLimit)) {
                        client.readBody(content);
                        retrieved.add(new Retrieved(message, content.content()));
                    }
                } else {
                    log.log(System.Logger.Level.WARNING, "POP3 server {0} refused RETR of {1}: {2}; it is tried again next time",
                            settings.address(), message.uidl(), ServerText.excerpt(reply.text()));
                }
            });
        } catch (IOException e) {
            throw broken("RETR failed", e);
        }
        return retrieved;
    }

    /** Ends the session with QUIT: the server now deletes what was marked. */
    void quit() {
        if (!open) {
            return;
        }
        open = false;
        try {
            client.quit();
        } catch (IOException e) {
            throw Pop3Failures.of(settings, "QUIT failed, so no message was deleted", e);
        }
    }

    /** Drops the connection without QUIT: whatever was marked for deletion stays on the server. */
    @Override
    public void close() {
        open = false;
        client.close();
    }

    boolean hasCapability(String name) {
        return capabilities.stream().anyMatch(line -> line.toUpperCase(Locale.ROOT).split(" ")[0].equals(name));
    }

    private MailroomException broken(String what, Exception cause) {
        close();
        return Pop3Failures.of(settings, what, cause);
    }

    private static List<String> capabilities(Pop3Client client) throws IOException {
        Reply reply = client.command("CAPA");
        return reply.ok() ? client.readLines() : List.of();
    }

    /** The server refused UIDL: nothing can be imported safely from it. */
    private static final class NoUidlException extends PermanentException {
        NoUidlException(String message) {
            super(message);
        }
    }
}
