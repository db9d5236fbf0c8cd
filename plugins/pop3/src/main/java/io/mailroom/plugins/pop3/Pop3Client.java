package io.mailroom.plugins.pop3;

import io.mailroom.api.ServerText;

import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One POP3 connection on the wire (RFC 1939, RFC 2449): commands out, replies in, TLS when
 * asked. It knows nothing of mailboxes or modes; {@link Pop3Session} does. Commands are never
 * logged, so a password cannot leak through here.
 */
final class Pop3Client implements AutoCloseable {

    /** At most this many commands are written before their replies are read (when pipelining). */
    private static final int PIPELINE_WINDOW = 64;

    private final String host;
    private final int port;
    private final SSLSocketFactory tls;
    private Socket socket;
    private Pop3Input input;
    private OutputStream output;
    private boolean pipelining;

    private Pop3Client(String host, int port, SSLSocketFactory tls, Socket socket) throws IOException {
        this.host = host;
        this.port = port;
        this.tls = tls;
        attach(socket);
    }

    /** A server reply: {@code +OK}, {@code -ERR}, or a SASL continuation ({@code + }). */
    record Reply(Status status, String text) {

        enum Status { OK, ERR, CONTINUE }

        static Reply parse(String line) throws ProtocolException {
            if (line.startsWith("+OK")) {
                return new Reply(Status.OK, line.substring(3).strip());
            }
            if (line.startsWith("-ERR")) {
                return new Reply(Status.ERR, line.substring(4).strip());
            }
            if (line.startsWith("+")) {
                return new Reply(Status.CONTINUE, line.substring(1).strip());
            }
            throw new ProtocolException("the server answered neither +OK nor -ERR: " + abbreviate(line));
        }

        boolean ok() {
            return status == Status.OK;
        }

        private static String abbreviate(String line) {
            return line.length() > 80 ? line.substring(0, 80) + "…" : line;
        }
    }

    /** Handles the reply to one pipelined command, reading its body when it has one. */
    @FunctionalInterface
    interface ReplyHandler<T> {
        void handle(T item, Reply reply) throws IOException;
    }

    /** Connects, with TLS from the first byte when {@code implicitTls}, and reads the greeting. */
    static Pop3Client connect(String host, int port, boolean implicitTls, SocketFactory sockets, SSLSocketFactory tls,
                              Duration timeout) throws IOException {
        // the host's sockets: an address the installation does not allow is refused on connect
        Socket socket = sockets.createSocket();
        try {
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            // each flush is a whole command or a window of them: send it now
            socket.setTcpNoDelay(true);
            Pop3Client client = new Pop3Client(host, port, tls, socket);
            if (implicitTls) {
                client.upgradeToTls();
            }
            Reply greeting = Reply.parse(client.input.readLine());
            if (!greeting.ok()) {
                throw new ProtocolException("the server refused the connection: " + ServerText.excerpt(greeting.text()));
            }
            return client;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Sends STLS and, when the server agrees, continues over TLS; returns the server's reply. */
    Reply startTls() throws IOException {
        Reply reply = command("STLS");
        if (reply.ok()) {
            upgradeToTls();
        }
        return reply;
    }

    /** Whether commands may be written before earlier replies are read (RFC 2449 PIPELINING). */
    void pipelining(boolean enabled) {
        this.pipelining = enabled;
    }

    /** Sends one command and reads its status line. */
    Reply command(String line) throws IOException {
        write(line);
        output.flush();
        return readReply();
    }

    Reply readReply() throws IOException {
        return Reply.parse(input.readLine());
    }

    /** Reads the body of a multi-line reply whose status was {@code +OK}, as lines. */
    List<String> readLines() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        input.copyMultiline(body);
        List<String> lines = new ArrayList<>();
        for (String line : body.toString(StandardCharsets.UTF_8).split("\r?\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Copies the body of a multi-line reply whose status was {@code +OK} to {@code out}. */
    void readBody(OutputStream out) throws IOException {
        input.copyMultiline(out);
    }

    /**
     * Sends a command for each item and hands each reply to {@code handler}, in order. With
     * PIPELINING the commands go out in windows, one round trip per window; without, one by one.
     * Only the short commands are written ahead, so the server is never blocked on our reading.
     */
    <T> void pipeline(List<T> items, Function<T, String> command, ReplyHandler<T> handler) throws IOException {
        int window = pipelining ? PIPELINE_WINDOW : 1;
        for (int from = 0; from < items.size(); from += window) {
            List<T> chunk = items.subList(from, Math.min(items.size(), from + window));
            for (T item : chunk) {
                write(command.apply(item));
            }
            output.flush();
            for (T item : chunk) {
                handler.handle(item, readReply());
            }
        }
    }

    /** Says QUIT, which makes the server apply this session's DELEs, and closes the connection. */
    void quit() throws IOException {
        try {
            Reply reply = command("QUIT");
            if (!reply.ok()) {
                throw new ProtocolException("the server did not confirm QUIT: " + ServerText.excerpt(reply.text()));
            }
        } finally {
            close();
        }
    }

    /** Drops the connection without QUIT: the server forgets this session's DELEs. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private void write(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a POP3 command cannot contain a line break");
        }
        output.write(line.getBytes(StandardCharsets.UTF_8));
        output.write('\r');
        output.write('\n');
    }

    private void upgradeToTls() throws IOException {
        SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        attach(secure);
    }

    private void attach(Socket socket) throws IOException {
        this.socket = socket;
        this.input = new Pop3Input(socket.getInputStream());
        this.output = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }
}
