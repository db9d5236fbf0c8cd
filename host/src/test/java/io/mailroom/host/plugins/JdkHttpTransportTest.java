package io.mailroom.host.plugins;

import com.sun.net.httpserver.HttpServer;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.PermanentException;
import io.mailroom.host.network.PrivateAddressPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plugins' HTTP follows the private-address rule; a loopback server stands in for an internal one. */
class JdkHttpTransportTest {

    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI loopback(String host) {
        return URI.create("http://" + host + ":" + server.getAddress().getPort() + "/token");
    }

    @Test
    void a_request_to_a_private_address_is_refused_before_anything_is_sent() {
        HttpTransport http = new JdkHttpTransport(new PrivateAddressPolicy(false));

        assertThatThrownBy(() -> http.send(HttpTransport.Request.get(loopback("127.0.0.1"))))
                .isInstanceOf(PermanentException.class).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> http.send(HttpTransport.Request.get(loopback("localhost"))))
                .isInstanceOf(PermanentException.class).hasMessageContaining("loopback");
        assertThat(requests).hasValue(0);
    }

    @Test
    void a_request_to_a_private_address_is_sent_when_private_hosts_are_allowed() {
        HttpTransport http = new JdkHttpTransport(new PrivateAddressPolicy(true));

        assertThat(http.send(HttpTransport.Request.get(loopback("127.0.0.1"))).status()).isEqualTo(204);
        assertThat(requests).hasValue(1);
    }
}
