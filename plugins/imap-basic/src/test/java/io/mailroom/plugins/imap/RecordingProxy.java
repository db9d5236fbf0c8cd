package io.mailroom.plugins.imap;

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
 * A TCP relay to a server that records what clients send, to check what went over the wire
 * (which SASL mechanism, how many FETCH commands) without a mock.
 */
final class RecordingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RecordingProxy(int targetPort) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("proxy-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(client);
                    sockets.add(target);
                    pump(client.getInputStream(), target.getOutputStream(), true);
                    pump(target.getInputStream(), client.getOutputStream(), false);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    /** The client's lines so far, literals included. */
    List<String> clientLines() {
        synchronized (sent) {
            return new String(sent.toByteArray(), StandardCharsets.ISO_8859_1).lines().toList();
        }
    }

    private void pump(InputStream in, OutputStream out, boolean record) {
        Thread.ofPlatform().daemon().name("proxy-pump").start(() -> {
            byte[] buffer = new byte[65536];
            try {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (record) {
                        synchronized (sent) {
                            sent.write(buffer, 0, n);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: the relay ends
            }
            sockets.forEach(RecordingProxy::closeQuietly);
        });
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
        sockets.forEach(RecordingProxy::closeQuietly);
    }
}
