package io.mailroom.host.errors;

import java.util.Map;

/**
 * An error answered as {@code {"error": code, "message": message, "details": details}}.
 * Services and handlers of every feature throw it; {@code http.ErrorHandling} writes it.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    /** 400 for a field that is wrong; {@code path} names it ({@code settings.port}). */
    public static ApiException invalid(String path, String message) {
        return new ApiException(400, "invalid_request", message, Map.of("path", path));
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found", Map.of());
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message, Map.of());
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "unauthorized", "a valid bearer token is required", Map.of());
    }

    public static ApiException forbidden() {
        return new ApiException(403, "forbidden", "your role may not do this", Map.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
