package io.mailroom.plugins.imap;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.PermanentException;
import io.mailroom.testkit.context.FakeContext;
import io.mailroom.testkit.context.RefusingSockets;
import io.mailroom.api.source.Credential;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;

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
        return new FakeContext("imap-basic").sockets(new RefusingSockets("connecting to 127.0.0.1 is not allowed (test)"));
    }
}
