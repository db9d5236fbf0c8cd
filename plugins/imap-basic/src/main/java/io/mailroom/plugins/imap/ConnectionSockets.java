package io.mailroom.plugins.imap;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * The sockets of one connection's Angus session (its {@code mail.imap.socketFactory}), kept so
 * that a wait for new mail can time its reads and {@link ImapConnection#close()} can cut a wait
 * short from another thread.
 *
 * <p>Why not through Angus: while a thread reads IDLE responses it holds the folder's and the
 * protocol's locks, so every Angus way of ending the wait (closing the folder or the store)
 * waits for that read, which, on a silent server, never ends. Closing the socket ends it at
 * once. Angus asks this factory for an unconnected socket and connects it itself, and wraps it
 * in TLS when the security setting asks for it (implicit or STARTTLS), so the sockets kept here
 * are the plain ones beneath the TLS.
 *
 * <p>Each socket comes from the host's factory ({@code ExtensionContext.sockets()}), which
 * refuses, when the socket connects, an address the installation does not allow.
 */
final class ConnectionSockets extends SocketFactory {

    private final SocketFactory base;
    private final List<Socket> sockets = new ArrayList<>();
    private boolean aborted;

    ConnectionSockets(SocketFactory base) {
        this.base = base;
    }

    @Override
    public synchronized Socket createSocket() throws IOException {
        if (aborted) {
            throw new SocketException("the connection was closed");
        }
        sockets.removeIf(Socket::isClosed);
        Socket socket = base.createSocket();
        sockets.add(socket);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(SocketAddress remote, SocketAddress local) throws IOException {
        Socket socket = createSocket();
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(remote);
        return socket;
    }

    /** The plain socket bound to {@code local} (a protocol's {@code getLocalSocketAddress()}). */
    synchronized Socket find(SocketAddress local) {
        for (Socket socket : sockets) {
            if (!socket.isClosed() && local.equals(socket.getLocalSocketAddress())) {
                return socket;
            }
        }
        throw new IllegalStateException("no socket of this connection is bound to " + local);
    }

    /** Closes every socket at once, without a word to the server, and refuses new ones. */
    void abort() {
        List<Socket> open;
        synchronized (this) {
            aborted = true;
            open = List.copyOf(sockets);
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }
}
