package io.mailroom.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP for extensions (token endpoints, webhooks), provided by the host so that timeouts,
 * proxies and logging are the same everywhere. Thread-safe.
 */
public interface HttpTransport {

    /**
     * Sends a request and reads the whole response. Any status is returned as a response;
     * network failures and timeouts throw, as {@link TemporaryException}. A host that resolves
     * to an address the installation does not connect to (loopback, private, link-local…,
     * unless the operator allows private hosts; see {@link ExtensionContext#sockets()}) throws
     * {@link PermanentException} before anything is sent. Redirects are not followed.
     */
    Response send(Request request);

    /** An HTTP request; {@code body} may be empty. */
    record Request(String method, URI uri, Map<String, String> headers, byte[] body) {

        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            headers = Map.copyOf(headers);
            body = body == null ? new byte[0] : body.clone();
        }

        public static Request post(URI uri, String contentType, byte[] body) {
            return new Request("POST", uri, Map.of("Content-Type", contentType), body);
        }

        public static Request get(URI uri) {
            return new Request("GET", uri, Map.of(), new byte[0]);
        }
    }

    /** An HTTP response; header names are lower case. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        public Response {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        public Optional<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of()).stream().findFirst();
        }

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }
}
