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
 * link-local (169.254/16, fe80::/10), unique-local (fc00::/7), multicast, reserved (192.0.0/24,
 * where one cloud's metadata lives; 198.18/15; 240/4) or unspecified, or an IPv6 form that
 * carries one of those (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16).
 *
 * <p>A host written as a number that is not a plain dotted quad ({@code 2130706433},
 * {@code 0x7f.1}, {@code 0177.0.0.1}, {@code 127.1}) is refused outright: resolvers disagree on
 * what such a form means (the JDK reads {@code 0177} as decimal, glibc and curl as octal), so what
 * was checked need not be what another component connects to; and the JDK would ask DNS for
 * some of them.
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
        checkNotAmbiguous(host);
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

    /**
     * Refuses a host name that ends in a number (as the URL standard puts it) unless it is a
     * dotted quad of plain decimal numbers. Linear in the name's length.
     */
    void checkNotAmbiguous(String host) throws AddressRefusedException {
        if (allowPrivate || host == null || host.isEmpty() || !looksNumeric(host)) {
            return;
        }
        if (!plainDottedQuad(host)) {
            throw new AddressRefusedException("connecting to " + host + " is not allowed: write an IPv4 address as "
                    + "four decimal numbers (a.b.c.d), not in decimal, octal or hex shorthand; an operator can allow private "
                    + "hosts with " + SETTING);
        }
    }

    /** The URL standard's "ends in a number": the last label is decimal, or 0x and hex digits. */
    private static boolean looksNumeric(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = name.substring(name.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return false;
        }
        boolean hex = last.length() >= 2 && last.charAt(0) == '0' && (last.charAt(1) == 'x' || last.charAt(1) == 'X');
        for (int i = hex ? 2 : 0; i < last.length(); i++) {
            char c = Character.toLowerCase(last.charAt(i));
            if (!((c >= '0' && c <= '9') || (hex && c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean plainDottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                if (!Character.isDigit(part.charAt(i))) {
                    return false;
                }
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
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
            byte[] translated = translatedIpv4(b);
            if (translated != null) {
                String kind = ipv4Kind(translated);
                if (kind != null) {
                    return kind + " (inside NAT64 or 6to4)";
                }
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

    /** The IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002:a.b.c.d::/48) address leads to. */
    private static byte[] translatedIpv4(byte[] b) {
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            for (int i = 4; i < 12; i++) {
                if (b[i] != 0) {
                    return null;
                }
            }
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
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
        if ((a == 192 && second == 0 && (b[2] & 0xff) == 0) || (a == 198 && (second == 18 || second == 19)) || a >= 240) {
            return "reserved";
        }
        return null;
    }
}
