package io.mailroom.dist;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server on loopback whose behaviour a test switches while the outbox talks to it
 * ({@link #mode}); it records the Message-ID of each mail it accepted with 250 after the final
 * dot, so a test counts deliveries at the server.
 */
final class ScriptedSmtp implements AutoCloseable {

    enum Mode {
        /** answers everything with success */
        ACCEPT,
        /** holds the greeting back until the client dies */
        HOLD_GREETING,
        /** holds the answer to DATA back until the client dies */
        HOLD_DATA,
        /** greets with 421 and closes */
        REFUSE_421,
        /** answers MAIL FROM with 451 */
        DEFER_451
    }

    private final ServerSocket socket;
    final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger dataCommands = new AtomicInteger();
    final AtomicInteger greetings421 = new AtomicInteger();
    volatile Mode mode;

    /** On {@code port} (0: any free one), starting in {@code mode}. */
    ScriptedSmtp(int port, Mode mode) throws IOException {
        this.mode = mode;
        socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread.ofPlatform().daemon().start(() -> converse(client));
                } catch (IOException e) {
                    // closing
                }
            }
        });
    }

    int port() {
        return socket.getLocalPort();
    }

    private void converse(Socket client) {
        try (client) {
            connections.incrementAndGet();
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = client.getOutputStream();
            switch (mode) {
                case HOLD_GREETING -> {
                    in.read(); // held until the client dies
                    return;
                }
                case REFUSE_421 -> {
                    greetings421.incrementAndGet();
                    say(out, "421 4.3.2 scripted.test service not available, closing channel");
                    return;
                }
                default -> say(out, "220 scripted.test ESMTP");
            }
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO" -> say(out, "250-scripted.test\r\n250 8BITMIME");
                    case "MAIL" -> say(out, mode == Mode.DEFER_451 ? "451 4.3.0 scripted.test try again later" : "250 OK");
                    case "HELO", "RCPT", "RSET", "NOOP" -> say(out, "250 OK");
                    case "DATA" -> {
                        dataCommands.incrementAndGet();
                        if (mode == Mode.HOLD_DATA) {
                            in.read();
                            return;
                        }
                        say(out, "354 go ahead");
                        String messageId = null;
                        String data;
                        while ((data = in.readLine()) != null && !data.equals(".")) {
                            if (messageId == null && data.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                                messageId = data.substring(11).strip();
                            }
                        }
                        if (data == null) {
                            return; // dropped before the final dot: nothing accepted
                        }
                        accepted.add(messageId == null ? "" : messageId.replaceAll("^<|>$", ""));
                        say(out, "250 OK queued");
                    }
                    case "QUIT" -> {
                        say(out, "221 bye");
                        return;
                    }
                    default -> say(out, "502 5.5.1 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
