package io.mailroom.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between Mailroom and a mail server that injects network faults into
 * what the server sends: it can cut a connection after a number of bytes (once), throttle the
 * server's answers to small chunks with a pause after each, or hold them back entirely (a server
 * that stopped answering). What the client sends passes unchanged.
 */
final class FaultProxy implements AutoCloseable {

    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /**
     * The first connection whose server side passes this many bytes (counted from its start) is
     * cut there, once; -1: none. Per connection, so a short one (a login check) never takes it.
     */
    private final AtomicLong cutAfter = new AtomicLong(-1);
    final AtomicInteger cuts = new AtomicInteger();
    final AtomicLong bytesDown = new AtomicLong();
    private volatile int chunk = 16 * 1024;
    private volatile long pauseMillis;
    private volatile boolean stalled;

    FaultProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        Thread.ofPlatform().daemon().name("fault-proxy-" + port()).start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Cuts the first connection (both directions, RST) whose server side sends more than {@code bytes} bytes. */
    void cutOnceAfter(long bytes) {
        cutAfter.set(bytes);
    }

    /** The server's answers pass in pieces of {@code chunkBytes}, {@code pause} ms after each. */
    void throttle(int chunkBytes, long pause) {
        this.chunk = chunkBytes;
        this.pauseMillis = pause;
    }

    /** True: nothing more of the server's answers passes (the client waits), until false. */
    void stall(boolean stall) {
        this.stalled = stall;
    }

    void clear() {
        throttle(16 * 1024, 0);
        stall(false);
        cutAfter.set(-1);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server;
                try {
                    server = new Socket(targetHost, targetPort);
                } catch (IOException refused) {
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(server);
                Thread.ofPlatform().daemon().start(() -> pump(client, server, false));
                Thread.ofPlatform().daemon().start(() -> pump(server, client, true));
            } catch (IOException e) {
                // closing
            }
        }
    }

    private void pump(Socket from, Socket to, boolean down) {
        long sent = 0;
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int read = in.read(buffer, 0, down ? Math.min(chunk, buffer.length) : buffer.length);
                if (read < 0) {
                    return;
                }
                if (!down) {
                    out.write(buffer, 0, read);
                    out.flush();
                    continue;
                }
                while (stalled && !listener.isClosed()) {
                    Thread.sleep(20);
                }
                long cutAt = cutAfter.get();
                if (cutAt >= 0 && sent + read > cutAt && cutAfter.compareAndSet(cutAt, -1)) {
                    out.write(buffer, 0, (int) (cutAt - sent));
                    out.flush();
                    cuts.incrementAndGet();
                    // RST, not FIN: the connection is torn, as when a server host or a NAT drops it
                    to.setSoLinger(true, 0);
                    from.setSoLinger(true, 0);
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
                sent += read;
                bytesDown.addAndGet(read);
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (IOException e) {
            // one side went away: closing both ends tells the other
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(from);
            open.remove(to);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
