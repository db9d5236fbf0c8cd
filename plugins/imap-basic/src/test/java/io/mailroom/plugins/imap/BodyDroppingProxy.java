package io.mailroom.plugins.imap;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to a real IMAP server that cuts the body out of the server's FETCH answers for
 * one UID ({@code * n FETCH (UID u ... BODY[] {len} ...)} loses its {@code BODY[]} item), as a
 * broken or overloaded server does. Responses are relayed whole, literals included.
 */
final class BodyDroppingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final long uid;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    BodyDroppingProxy(int targetPort, long uid) throws IOException {
        this.uid = uid;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("proxy-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(client);
                    sockets.add(target);
                    relay(client.getInputStream(), target.getOutputStream(), false);
                    relay(target.getInputStream(), client.getOutputStream(), true);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void relay(InputStream from, OutputStream to, boolean rewrite) {
        Thread.ofPlatform().daemon().name("proxy-relay").start(() -> {
            try (InputStream in = new BufferedInputStream(from)) {
                if (!rewrite) {
                    in.transferTo(to);
                    return;
                }
                while (true) {
                    byte[] response = readResponse(in);
                    if (response == null) {
                        return;
                    }
                    to.write(rewrite(response));
                    to.flush();
                }
            } catch (IOException e) {
                // one side closed: the relay ends
            } finally {
                sockets.forEach(BodyDroppingProxy::closeQuietly);
            }
        });
    }

    /** One response: its lines, and the literals announced at their ends ({n}). */
    private static byte[] readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            int previous = -1;
            while ((b = in.read()) != -1) {
                line.write(b);
                if (previous == '\r' && b == '\n') {
                    break;
                }
                previous = b;
            }
            if (b == -1) {
                return null;
            }
            response.writeBytes(line.toByteArray());
            String text = line.toString(StandardCharsets.ISO_8859_1);
            int open = text.lastIndexOf('{');
            if (!text.endsWith("}\r\n") || open < 0) {
                return response.toByteArray();
            }
            int length = Integer.parseInt(text.substring(open + 1, text.length() - 3));
            response.writeBytes(in.readNBytes(length));
        }
    }

    private byte[] rewrite(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("* ") || !text.contains(" FETCH (") || !text.matches("(?s).*[( ]UID " + uid + "[ )].*")) {
            return response;
        }
        int body = text.indexOf(" BODY[");
        if (body < 0) {
            return response;
        }
        int open = text.indexOf('{', body);
        int crlf = text.indexOf("\r\n", open);
        int length = Integer.parseInt(text.substring(open + 1, crlf - 1));
        int end = crlf + 2 + length;
        return (text.substring(0, body) + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(BodyDroppingProxy::closeQuietly);
    }
}
