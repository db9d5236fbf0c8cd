package io.mailroom.testkit.context;

import io.mailroom.api.HttpTransport;
import io.mailroom.api.PermanentException;
import io.mailroom.api.TemporaryException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP with the contract of the host's {@link HttpTransport} (any status is a response, network
 * failures are {@link TemporaryException}, redirects are not followed) that reaches loopback
 * only: a test server on {@code 127.0.0.1}. Any other address is refused with
 * {@link PermanentException}, as the host refuses a private one, so a test never sends a packet
 * off the machine.
 */
public final class LoopbackHttp implements HttpTransport {

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Response send(Request request) {
        requireLoopback(request.uri().getHost());
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(Duration.ofSeconds(10))
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, java.util.List<String>> headers = new TreeMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            return new Response(response.statusCode(), headers, response.body());
        } catch (IOException e) {
            throw new TemporaryException("HTTP request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TemporaryException("HTTP request interrupted", e);
        }
    }

    private static void requireLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    throw new PermanentException("a test reaches loopback only, not " + host);
                }
            }
        } catch (UnknownHostException e) {
            throw new PermanentException("unknown host " + host);
        }
    }
}
