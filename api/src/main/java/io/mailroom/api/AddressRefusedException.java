package io.mailroom.api;

import java.net.SocketException;

/**
 * Thrown by the sockets of {@link ExtensionContext#sockets()} (and by {@link HttpTransport}) when
 * the address a connection would go to is one the installation does not allow: loopback,
 * private, link-local, unique-local, multicast or unspecified, unless the operator allowed
 * private hosts. An {@link java.io.IOException}, so it travels through protocol libraries that
 * connect for the plugin; a plugin reports it as a {@link PermanentException} with this
 * message, since retrying will not change the answer.
 */
public class AddressRefusedException extends SocketException {

    private static final long serialVersionUID = 1L;

    public AddressRefusedException(String message) {
        super(message);
    }
}
