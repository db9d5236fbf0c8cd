package io.mailroom.host.oauth;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token endpoint on loopback that gives every request the same answer: a provider that has
 * revoked a grant, refuses a client, or is down. For the answers mock-oauth2-server does not give.
 */
final class ScriptedTokenEndpoint implements AutoCloseable {

    private final HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    ScriptedTokenEndpoint(int status, String json) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
