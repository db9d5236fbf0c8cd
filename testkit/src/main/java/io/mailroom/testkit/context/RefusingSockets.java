package io.mailroom.testkit.context;

import io.mailroom.api.AddressRefusedException;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * Sockets that refuse every address, as the host's do for a private one: a plugin that connects
 * only through {@link io.mailroom.api.ExtensionContext#sockets()} reaches nothing with them.
 */
public final class RefusingSockets extends SocketFactory {

    private final String reason;

    public RefusingSockets(String reason) {
        this.reason = reason;
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                throw new AddressRefusedException(reason);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new AddressRefusedException(reason);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new AddressRefusedException(reason);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw new AddressRefusedException(reason);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        throw new AddressRefusedException(reason);
    }
}
