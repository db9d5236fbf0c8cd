package io.mailroom.host.network;

import io.mailroom.api.AddressRefusedException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where Mailroom may connect on behalf of a mailbox or a plugin. Any user can point a mailbox at
 * any host and read what it answers through {@code /test}, so without a rule a user could probe
 * the server's own loopback services, the internal network or a cloud metadata endpoint
 * (169.254.169.254). Unless the operator sets {@code mailroom.sources.allow.private.hosts}, an
 * address is refused when it is loopback, private (10/8, 172.16/12, 192.168/16, 100.64/10),
 * link-local (169.254/16, fe80::/10), unique-local (fc00::/7), multicast or unspecified, or an
 * IPv4-mapped or IPv4-compatible IPv6 form of one of those.
 *
 * <p>The rule is applied to each address a socket actually connects to ({@link GuardedSocket});
 * checking a name beforehand ({@link #checkHost}) only gives an early, clear answer at save time.
 */
public final class PrivateAddressPolicy {

    static final String SETTING = "mailroom.sources.allow.private.hosts";

    private final boolean allowPrivate;

    public PrivateAddressPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /** Refuses {@code address} unless it is allowed. */
    public void check(InetAddress address) throws AddressRefusedException {
        check(null, address);
    }

    /** Refuses {@code address} (which {@code host} resolved to, when given) unless it is allowed. */
    public void check(String host, InetAddress address) throws AddressRefusedException {
        if (allowPrivate) {
            return;
        }
        String kind = forbiddenKind(address);
        if (kind != null) {
            String name = host == null || host.equals(address.getHostAddress()) ? address.getHostAddress()
                    : host + " (" + address.getHostAddress() + ")";
            throw new AddressRefusedException("connecting to " + name + " is not allowed: it is a " + kind
                    + " address; an operator can allow private hosts with " + SETTING);
        }
    }

    /**
     * Resolves {@code host} and refuses it if any of its addresses is not allowed; returns them
     * all (none when private hosts are allowed: then nothing is resolved). A name that does not
     * resolve is left to the connection to report.
     */
    public List<InetAddress> checkHost(String host) throws AddressRefusedException {
        if (allowPrivate) {
            return List.of(); // nothing to refuse: no need to ask DNS
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return List.of();
        }
        for (InetAddress address : addresses) {
            check(host, address);
        }
        return List.of(addresses);
    }

    /** What kind of not-public address this is, or null for a public one. */
    static String forbiddenKind(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                String kind = ipv4Kind(embedded);
                return kind == null ? null : kind + " (as IPv6)";
            }
            if (v6.isAnyLocalAddress()) {
                return "unspecified";
            }
            if (v6.isLoopbackAddress()) {
                return "loopback";
            }
            if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
                return "link-local";
            }
            if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return "site-local";
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique-local";
            }
            if ((b[0] & 0xff) == 0xff) {
                return "multicast";
            }
            return null;
        }
        return ipv4Kind(address.getAddress());
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or -compatible (::a.b.c.d) one. */
    private static byte[] embeddedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return null;
            }
        }
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0;
        if (!mapped && !compatible) {
            return null;
        }
        if (compatible && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0) {
            return null; // :: and ::1 are IPv6's own unspecified and loopback
        }
        return new byte[] {b[12], b[13], b[14], b[15]};
    }

    private static String ipv4Kind(byte[] b) {
        int a = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (a == 0) {
            return "unspecified";
        }
        if (a == 127) {
            return "loopback";
        }
        if (a == 10 || (a == 172 && second >= 16 && second <= 31) || (a == 192 && second == 168)) {
            return "private";
        }
        if (a == 100 && second >= 64 && second <= 127) {
            return "shared (CGNAT)";
        }
        if (a == 169 && second == 254) {
            return "link-local";
        }
        if (a >= 224 && a <= 239) {
            return "multicast";
        }
        if (a == 255 && second == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255) {
            return "broadcast";
        }
        return null;
    }
}
