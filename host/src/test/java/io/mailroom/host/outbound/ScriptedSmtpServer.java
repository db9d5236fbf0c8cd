package io.mailroom.host.outbound;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An SMTP server on loopback that answers the end of each message's DATA with the next reply of
 * its script ({@code 451 4.3.0 try later}, then {@code 250 OK}), and keeps what it accepted:
 * what GreenMail cannot do (a temporary refusal).
 */
final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Queue<String> replies;
    private final String last;
    private final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    ScriptedSmtpServer(String... endOfDataReplies) throws IOException {
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.replies = new ConcurrentLinkedQueue<>(List.of(endOfDataReplies));
        this.last = endOfDataReplies[endOfDataReplies.length - 1];
        this.thread = Thread.ofPlatform().daemon().start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The messages it answered with a 250 at the end of DATA. */
    List<String> accepted() {
        return List.copyOf(accepted);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                converse(client);
            } catch (IOException e) {
                // the client went away, or the server is closing
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream();
        say(out, "220 scripted.test ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (command) {
                case "EHLO" -> say(out, "250-scripted.test\r\n250 8BITMIME");
                case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> say(out, "250 OK");
                case "DATA" -> {
                    say(out, "354 go ahead");
                    StringBuilder message = new StringBuilder();
                    String data;
                    while ((data = in.readLine()) != null && !data.equals(".")) {
                        message.append(data).append("\r\n");
                    }
                    String reply = replies.size() > 1 ? replies.poll() : last;
                    if (reply.startsWith("250")) {
                        accepted.add(message.toString());
                    }
                    say(out, reply);
                }
                case "QUIT" -> {
                    say(out, "221 bye");
                    return;
                }
                default -> say(out, "502 5.5.1 not implemented");
            }
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        socket.close();
        thread.join(2000);
    }
}
