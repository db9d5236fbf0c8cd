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
        server.createContext("/moved", exchange -> {
            // a receiver that answers with a redirect to an internal address (here: this server's /token)
            exchange.getResponseHeaders().add("Location", loopback("127.0.0.1").toString());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
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
    void every_written_form_of_a_private_address_is_refused_before_anything_is_sent() {
        HttpTransport http = new JdkHttpTransport(new PrivateAddressPolicy(false));

        for (String host : new String[] {"2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1", "0x7f000001",
                "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:7f00:1]", "[64:ff9b::7f00:1]",
                "[2002:7f00:1::]", "169.254.169.254", "[fd00:ec2::254]", "192.0.0.192", "0.0.0.0", "localhost"}) {
            assertThatThrownBy(() -> http.send(HttpTransport.Request.get(loopback(host)))).as(host)
                    // a name the URI parser will not read as a host is refused as naming none
                    .isInstanceOf(PermanentException.class).hasMessageMatching(".*(not allowed|names no host).*");
        }
        assertThat(requests).hasValue(0);
    }

    @Test
    void a_redirect_is_never_followed_so_it_cannot_lead_to_an_internal_address() {
        // allowed here only so the redirecting server can be reached at all; the client must stop at the 302
        HttpTransport http = new JdkHttpTransport(new PrivateAddressPolicy(true));
        URI moved = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/moved");

        HttpTransport.Response response = http.send(HttpTransport.Request.get(moved));

        assertThat(response.status()).isEqualTo(302);
        assertThat(requests).as("the redirect's target was never asked").hasValue(0);
    }

    @Test
    void a_request_to_a_private_address_is_sent_when_private_hosts_are_allowed() {
        HttpTransport http = new JdkHttpTransport(new PrivateAddressPolicy(true));

        assertThat(http.send(HttpTransport.Request.get(loopback("127.0.0.1"))).status()).isEqualTo(204);
        assertThat(requests).hasValue(1);
    }
}
