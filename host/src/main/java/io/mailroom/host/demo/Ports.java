package io.mailroom.host.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The demo's fixed ports, when they are free: a second program on 8080 or 3143 must not stop a
 * newcomer's first demo. A port taken between this look and the bind fails the start, which says so.
 */
final class Ports {

    private Ports() {
    }

    /** {@code port} when nothing listens on it at {@code host} (null: every address), else 0, "any free one". */
    static int freeOrAny(String host, int port) {
        if (port == 0) {
            return 0;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, host == null ? null : InetAddress.getByName(host))) {
            return port;
        } catch (IOException inUse) {
            return 0;
        }
    }
}
