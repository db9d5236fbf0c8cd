package io.mailroom.api.route;

/**
 * An answer other than success, in the host's error format:
 * {@code {"error": code, "message": message, "details": {"path": path}}}.
 */
public class RouteException extends RuntimeException {

    private final int status;
    private final String error;
    private final String path;

    /**
     * @param status  400 to 499
     * @param error   a snake_case code ({@code ticket_not_found})
     * @param path    the request field at fault ({@code attachments[0].filename}), or null
     * @param message one sentence for the caller, never a secret
     */
    public RouteException(int status, String error, String path, String message) {
        super(message);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a route error is a 4xx status, not " + status);
        }
        this.status = status;
        this.error = error;
        this.path = path;
    }

    public static RouteException badRequest(String path, String message) {
        return new RouteException(400, "invalid_request", path, message);
    }

    public static RouteException notFound(String message) {
        return new RouteException(404, "not_found", null, message);
    }

    public static RouteException conflict(String error, String message) {
        return new RouteException(409, error, null, message);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String path() {
        return path;
    }
}
