package io.mailroom.testkit.dovecot;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough IMAP to prepare a test mailbox as "another client" would: login, APPEND (with
 * LITERAL+, several messages per command), SELECT, STORE, EXPUNGE, CREATE, DELETE, STATUS.
 * Mailbox names are sent as quoted ASCII strings. Failures throw {@link IllegalStateException}
 * with the server's answer.
 */
final class ImapClient implements AutoCloseable {

    private static final DateTimeFormatter IMAP_DATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern APPEND_UID = Pattern.compile("\\[APPENDUID (\\d+) ([0-9:,]+)]");
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");

    /** A message to append: its bytes, its INTERNALDATE (or null for now) and flags. */
    record Append(byte[] rfc822, Instant internalDate, List<String> flags) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    private ImapClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    static ImapClient login(String host, int port, String user, String password) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(60_000);
            ImapClient client = new ImapClient(socket);
            String greeting = client.readLine();
            if (!greeting.startsWith("* OK")) {
                client.close();
                throw new IllegalStateException("unexpected IMAP greeting: " + greeting);
            }
            client.run("LOGIN " + quote(user) + " " + quote(password));
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach IMAP at " + host + ":" + port, e);
        }
    }

    /** Appends messages to a folder in one command; returns their UIDs in order. */
    List<Long> append(String folder, List<Append> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        try {
            String t = nextTag();
            write(t + " APPEND " + quote(folder));
            for (Append message : messages) {
                write(" (" + String.join(" ", message.flags()) + ")");
                if (message.internalDate() != null) {
                    write(" \"" + IMAP_DATE.format(message.internalDate()) + "\"");
                }
                write(" {" + message.rfc822().length + "+}\r\n");
                out.write(message.rfc822());
            }
            write("\r\n");
            out.flush();
            String done = awaitTagged(t, new ArrayList<>());
            Matcher uids = APPEND_UID.matcher(done);
            if (!uids.find()) {
                throw new IllegalStateException("no APPENDUID in " + done);
            }
            return expand(uids.group(2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command; returns its untagged responses (literals inlined) and the tagged line last. */
    List<String> run(String command) {
        try {
            String t = nextTag();
            write(t + " " + command + "\r\n");
            out.flush();
            List<String> untagged = new ArrayList<>();
            untagged.add(awaitTagged(t, untagged));
            return untagged;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Expands an IMAP UID set such as {@code 4:6,9} into its UIDs. */
    static List<Long> expand(String set) {
        List<Long> uids = new ArrayList<>();
        for (String part : set.split(",")) {
            String[] range = part.split(":");
            long from = Long.parseLong(range[0]);
            long to = range.length == 2 ? Long.parseLong(range[1]) : from;
            for (long uid = Math.min(from, to); uid <= Math.max(from, to); uid++) {
                uids.add(uid);
            }
        }
        return uids;
    }

    private String awaitTagged(String t, List<String> untagged) throws IOException {
        while (true) {
            String line = readResponse();
            if (line.startsWith(t + " ")) {
                if (!line.startsWith(t + " OK")) {
                    throw new IllegalStateException("IMAP server said: " + line);
                }
                return line;
            }
            untagged.add(line);
        }
    }

    /** A whole response: a line, with any literals it announces read into it. */
    private String readResponse() throws IOException {
        StringBuilder response = new StringBuilder(readLine());
        Matcher literal = LITERAL.matcher(response);
        while (literal.find()) {
            byte[] bytes = in.readNBytes(Integer.parseInt(literal.group(1)));
            response.append("\r\n").append(new String(bytes, StandardCharsets.UTF_8)).append(readLine());
            literal = LITERAL.matcher(response);
        }
        return response.toString();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        throw new IOException("IMAP connection closed by the server");
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private String nextTag() {
        return "T" + (++tag);
    }

    @Override
    public void close() {
        try {
            write(nextTag() + " LOGOUT\r\n");
            out.flush();
        } catch (IOException ignored) {
            // the server is gone already; nothing to log out from
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that failed: nothing left to release
        }
    }
}
