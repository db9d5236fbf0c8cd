package io.mailroom.plugins.ticketing.webhook;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A helpdesk's webhook endpoint on loopback: records each post and answers the status a test sets. */
final class WebhookReceiver implements AutoCloseable {

    record Post(Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final List<Post> posts = new ArrayList<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
            synchronized (posts) {
                posts.add(new Post(headers, body));
            }
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 204 : status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The next posts are answered with these statuses, in order; then 204. */
    void answer(Integer... next) {
        statuses.addAll(List.of(next));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    List<Post> posts() {
        synchronized (posts) {
            return List.copyOf(posts);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
