package io.mailroom.host.network;

import io.mailroom.api.AddressRefusedException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * A socket that applies the {@link PrivateAddressPolicy} at the moment it connects, to the very
 * address it connects to: a name is resolved here, every address it has is checked, and the
 * socket connects to one of those checked addresses, so a second DNS answer cannot slip a
 * private address in between a check and the connect.
 */
final class GuardedSocket extends Socket {

    private final PrivateAddressPolicy policy;

    GuardedSocket(PrivateAddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress remote)) {
            throw new AddressRefusedException("only TCP/IP addresses may be connected to");
        }
        InetAddress address = remote.getAddress();
        String host = remote.getHostString();
        if (address == null) {
            policy.checkNotAmbiguous(host);
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress each : all) {
                policy.check(host, each);
            }
            if (all.length == 0) {
                throw new UnknownHostException(host);
            }
            address = all[0];
        } else {
            policy.check(host, address);
        }
        super.connect(new InetSocketAddress(address, remote.getPort()), timeout);
    }
}
