package io.mailroom.host.plugins;

import io.mailroom.api.AddressRefusedException;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.PermanentException;
import io.mailroom.api.TemporaryException;
import io.mailroom.host.network.PrivateAddressPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The host's HTTP for extensions: one shared JDK client with fixed timeouts, no redirects, and
 * the {@link PrivateAddressPolicy}: before a request is sent, the URI's host is resolved and
 * every address it has is checked; a refused one fails the request with
 * {@link PermanentException}.
 *
 * <p>Known gap: the JDK client has no socket hook, so it resolves the name again itself when it
 * connects. A name whose DNS answer changes between the check and the connect (DNS rebinding
 * with a very short TTL) could still reach a private address over HTTP. The JVM's own DNS cache
 * (30 s by default for a successful lookup) usually hands the client the address just checked.
 * Mail connections ({@code ExtensionContext.sockets()}) have no such gap: they check the
 * address they connect to.
 */
public final class JdkHttpTransport implements HttpTransport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** An answer is read whole into memory: a server cannot make it larger than this. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final PrivateAddressPolicy policy;

    public JdkHttpTransport(PrivateAddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Response send(Request request) {
        String host = request.uri().getHost();
        if (host == null) {
            throw new PermanentException("the URI of this request names no host");
        }
        try {
            policy.checkHost(host);
        } catch (AddressRefusedException e) {
            throw new PermanentException(request.method() + " " + host + " refused: " + e.getMessage(), e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(TIMEOUT)
                .method(request.method(), request.body().length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        try {
            HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                throw new PermanentException(request.method() + " " + host + " answered with more than "
                        + MAX_BODY_BYTES + " bytes, which is not read");
            }
            return new Response(response.statusCode(), response.headers().map().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue, (a, b) -> a)),
                    body);
        } catch (IOException e) {
            throw new TemporaryException(request.method() + " " + request.uri().getHost() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TemporaryException("interrupted while calling " + request.uri().getHost(), e);
        }
    }
}
