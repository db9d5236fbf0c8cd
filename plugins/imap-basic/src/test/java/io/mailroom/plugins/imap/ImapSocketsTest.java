package io.mailroom.plugins.imap;

import io.mailroom.api.AddressRefusedException;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.PermanentException;
import io.mailroom.api.source.Credential;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The source opens every connection with the host's sockets ({@link ExtensionContext#sockets()}),
 * TLS included, and reports the host's refusal as permanent, in the host's words.
 */
class ImapSocketsTest {

    @ParameterizedTest
    @ValueSource(strings = {"none", "ssl", "starttls"})
    void connects_only_through_the_hosts_sockets(String security) throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(200);

            assertThatThrownBy(() -> new ImapSource().connect(
                    TestMail.account(listener.getLocalPort(), security, Credential.password("alice", "secret")),
                    refusingContext()))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("connecting to 127.0.0.1 is not allowed (test)");
            assertThatThrownBy(() -> listener.accept().close()).as("nothing reached the server")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    /** A context whose sockets refuse every address, as the host's do for a private one. */
    private static ExtensionContext refusingContext() {
        return new ExtensionContext() {
            @Override
            public String pluginId() {
                return "imap-basic";
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public HttpTransport http() {
                throw new UnsupportedOperationException();
            }

            @Override
            public System.Logger logger(Class<?> type) {
                return System.getLogger(type.getName());
            }

            @Override
            public SocketFactory sockets() {
                return new RefusingSockets();
            }
        };
    }

    private static final class RefusingSockets extends SocketFactory {
        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    throw new AddressRefusedException("connecting to 127.0.0.1 is not allowed (test)");
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new AddressRefusedException("connecting to 127.0.0.1 is not allowed (test)");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return createSocket(host.getHostAddress(), port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return createSocket(address.getHostAddress(), port);
        }
    }
}
