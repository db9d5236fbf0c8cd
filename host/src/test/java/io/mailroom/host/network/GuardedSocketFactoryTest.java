package io.mailroom.host.network;

import io.mailroom.api.AddressRefusedException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sockets plugins get: the rule applies when a socket connects, however it was made. */
class GuardedSocketFactoryTest {

    @Test
    void an_unconnected_socket_refuses_a_loopback_address_when_it_connects() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new GuardedSocketFactory(new PrivateAddressPolicy(false)).createSocket()) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());

            assertThatThrownBy(() -> socket.connect(target, 1000)).isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("loopback");
            assertThat(socket.isConnected()).as("refused before any packet").isFalse();
        }
    }

    @Test
    void a_name_is_resolved_and_checked_at_connect_time() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            GuardedSocketFactory sockets = new GuardedSocketFactory(new PrivateAddressPolicy(false));

            assertThatThrownBy(() -> sockets.createSocket("localhost", server.getLocalPort()))
                    .isInstanceOf(AddressRefusedException.class).hasMessageContaining("localhost");
            assertThatThrownBy(() -> sockets.createSocket().connect(
                    InetSocketAddress.createUnresolved("localhost", server.getLocalPort())))
                    .isInstanceOf(AddressRefusedException.class);
        }
    }

    @Test
    void a_number_in_shorthand_is_refused_at_connect_time_before_any_lookup() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            GuardedSocketFactory sockets = new GuardedSocketFactory(new PrivateAddressPolicy(false));
            for (String host : new String[] {"2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1"}) {
                assertThatThrownBy(() -> sockets.createSocket().connect(
                        InetSocketAddress.createUnresolved(host, server.getLocalPort())))
                        .as(host).isInstanceOf(AddressRefusedException.class).hasMessageContaining("four decimal numbers");
            }
            assertThatThrownBy(() -> sockets.createSocket("2130706433", server.getLocalPort()))
                    .isInstanceOf(AddressRefusedException.class).hasMessageContaining("four decimal numbers");
        }
    }

    @Test
    void connects_to_loopback_when_private_hosts_are_allowed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new GuardedSocketFactory(new PrivateAddressPolicy(true))
                     .createSocket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            assertThat(socket.isConnected()).isTrue();
            assertThat(accepted.getPort()).isEqualTo(socket.getLocalPort());
        }
    }

    @Test
    void shown_errors_are_one_bounded_line() {
        String shown = ShownError.text("bad\r\nthing\u0007" + "x".repeat(1000));

        assertThat(shown).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0007")
                .hasSize(ShownError.MAX_LENGTH).startsWith("bad  thing?").endsWith("...");
    }
}
