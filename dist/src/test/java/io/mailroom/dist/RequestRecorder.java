package io.mailroom.dist;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A web server on loopback that answers 204 to anything and remembers what was asked: the
 * "remote" address of hostile content, which a page or an API must never make anyone load.
 */
final class RequestRecorder implements AutoCloseable {

    private final HttpServer server;
    private final Set<String> requests = ConcurrentHashMap.newKeySet();

    private RequestRecorder(HttpServer server) {
        this.server = server;
    }

    static RequestRecorder start() {
        try {
            RequestRecorder recorder = new RequestRecorder(
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
            recorder.server.createContext("/", exchange -> {
                recorder.requests.add(exchange.getRequestURI().toString());
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            recorder.server.start();
            return recorder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:port}, no slash at the end. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The paths (with queries) asked so far. */
    Set<String> requests() {
        return Set.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
