package io.mailroom.plugins.pop3;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small POP3 server for faults real servers do not stage: it can leave UIDL out, or drop the
 * connection in the middle of a RETR. Otherwise it follows RFC 1939 where it matters here: the
 * listing is fixed at login and DELEs take effect at QUIT only. One connection at a time; every
 * socket has a read timeout, so a stuck test ends.
 */
final class ScriptedPop3Server implements AutoCloseable {

    record Message(String uidl, byte[] content) {
    }

    private final ServerSocket server;
    private final List<Message> maildrop = new ArrayList<>();
    private final Map<String, Integer> retrievals = new ConcurrentHashMap<>();
    private volatile boolean uidl = true;
    private volatile boolean pipelining = true;
    private volatile String dropDuringRetrOf;
    private volatile String refusal;
    private volatile int logins;

    ScriptedPop3Server() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server.setSoTimeout(20_000);
        Thread.ofPlatform().daemon().name("scripted-pop3").start(this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    synchronized ScriptedPop3Server add(String uidl, byte[] content) {
        maildrop.add(new Message(uidl, content));
        return this;
    }

    /** Answers -ERR to UIDL and leaves it out of CAPA. */
    ScriptedPop3Server withoutUidl() {
        uidl = false;
        return this;
    }

    ScriptedPop3Server withoutPipelining() {
        pipelining = false;
        return this;
    }

    /** Answers every PASS with this -ERR line. */
    ScriptedPop3Server refusingLogins(String errLine) {
        refusal = errLine;
        return this;
    }

    /** How many PASS commands arrived. */
    int logins() {
        return logins;
    }

    /** The next RETR of this message sends half of it, then the connection drops. */
    ScriptedPop3Server dropDuringRetrOf(String uidl) {
        dropDuringRetrOf = uidl;
        return this;
    }

    synchronized List<String> uidls() {
        return maildrop.stream().map(Message::uidl).toList();
    }

    int retrievals(String uidl) {
        return retrievals.getOrDefault(uidl, 0);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                session(socket);
            } catch (IOException e) {
                // a dropped or timed-out client: wait for the next
            }
        }
    }

    private void session(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        List<Message> listing = List.of();
        Set<Integer> marked = new HashSet<>();
        send(out, "+OK scripted POP3 ready");
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.split(" ");
            String command = words[0].toUpperCase();
            switch (command) {
                case "CAPA" -> send(out, "+OK", "USER", "TOP", uidl ? "UIDL" : "X-NOTHING",
                        pipelining ? "PIPELINING" : "X-NOTHING", ".");
                case "USER" -> send(out, "+OK");
                case "AUTH" -> {
                    // Microsoft 365's POP3 form: AUTH XOAUTH2, an empty challenge, then the response;
                    // an initial response on the command line is refused
                    if (words.length != 2 || !words[1].equalsIgnoreCase("XOAUTH2")) {
                        send(out, "-ERR Protocol error. Connection is closed. 10");
                        continue;
                    }
                    send(out, "+ ");
                    String response = new String(java.util.Base64.getDecoder().decode(in.readLine()), StandardCharsets.UTF_8);
                    logins++;
                    if (!response.equals("user=alice\u0001auth=Bearer token-1\u0001\u0001")) {
                        send(out, "-ERR Authentication failure: unknown user name or bad password.");
                        continue;
                    }
                    synchronized (this) {
                        listing = List.copyOf(maildrop);
                    }
                    send(out, "+OK User successfully authenticated.");
                }
                case "PASS" -> {
                    logins++;
                    if (refusal != null) {
                        send(out, refusal);
                        continue;
                    }
                    if (!line.equals("PASS secret")) {
                        send(out, "-ERR [AUTH] invalid login");
                        continue;
                    }
                    synchronized (this) {
                        listing = List.copyOf(maildrop);
                    }
                    send(out, "+OK logged in");
                }
                case "STAT" -> send(out, "+OK " + listing.size() + " 0");
                case "LIST", "UIDL" -> {
                    if (command.equals("UIDL") && !uidl) {
                        send(out, "-ERR command not supported");
                        continue;
                    }
                    List<String> lines = new ArrayList<>(List.of("+OK"));
                    for (int i = 0; i < listing.size(); i++) {
                        if (!marked.contains(i + 1)) {
                            Message m = listing.get(i);
                            lines.add((i + 1) + " " + (command.equals("UIDL") ? m.uidl() : m.content().length));
                        }
                    }
                    lines.add(".");
                    send(out, lines.toArray(String[]::new));
                }
                case "TOP" -> {
                    byte[] content = listing.get(Integer.parseInt(words[1]) - 1).content();
                    String text = new String(content, StandardCharsets.US_ASCII);
                    out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write(stuffed(text.substring(0, text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.US_ASCII)));
                    out.flush();
                }
                case "RETR" -> {
                    Message m = listing.get(Integer.parseInt(words[1]) - 1);
                    retrievals.merge(m.uidl(), 1, Integer::sum);
                    byte[] body = stuffed(m.content());
                    out.write(("+OK " + m.content().length + " octets\r\n").getBytes(StandardCharsets.US_ASCII));
                    if (m.uidl().equals(dropDuringRetrOf)) {
                        dropDuringRetrOf = null;
                        out.write(body, 0, body.length / 2);
                        out.flush();
                        socket.setSoLinger(true, 0);
                        return;
                    }
                    out.write(body);
                    out.flush();
                }
                case "DELE" -> {
                    marked.add(Integer.parseInt(words[1]));
                    send(out, "+OK marked");
                }
                case "RSET" -> {
                    marked.clear();
                    send(out, "+OK");
                }
                case "NOOP" -> send(out, "+OK");
                case "QUIT" -> {
                    synchronized (this) {
                        for (int number : marked) {
                            maildrop.remove(listing.get(number - 1));
                        }
                    }
                    send(out, "+OK bye");
                    return;
                }
                default -> send(out, "-ERR unknown command");
            }
        }
    }

    /** The message dot-stuffed and terminated as a multi-line response. */
    private static byte[] stuffed(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (byte b : content) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void send(OutputStream out, String... lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append("\r\n");
        }
        out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
