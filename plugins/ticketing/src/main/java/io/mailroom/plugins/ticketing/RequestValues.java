package io.mailroom.plugins.ticketing;

import io.mailroom.api.route.RouteException;
import io.mailroom.api.route.RouteRequest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and checks a request's parameters and JSON body; a bad value is a 400 naming its path. */
final class RequestValues {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private RequestValues() {
    }

    /** A positive whole number in the query, if given. */
    static Optional<Long> queryId(RouteRequest request, String name) {
        Optional<String> value = request.queryParameter(name).filter(text -> !text.isBlank());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(positive(value.get(), name));
    }

    /** {@code ?limit=}: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    static int limit(RouteRequest request) {
        Optional<String> value = request.queryParameter("limit").filter(text -> !text.isBlank());
        if (value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        long limit = positive(value.get(), "limit");
        if (limit > MAX_LIMIT) {
            throw RouteException.badRequest("limit", "limit is at most " + MAX_LIMIT);
        }
        return (int) limit;
    }

    /** A positive id in the path. */
    static long pathId(RouteRequest request, String name) {
        return positive(request.pathParameter(name), name);
    }

    /** The body as a JSON object; an absent body is an empty one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> bodyObject(RouteRequest request) {
        if (request.body() == null) {
            return Map.of();
        }
        if (!(request.body() instanceof Map<?, ?> map)) {
            throw RouteException.badRequest("", "the body must be a JSON object");
        }
        return (Map<String, Object>) map;
    }

    /** A string field, if present and not null. */
    static Optional<String> string(Map<String, Object> body, String name) {
        Object value = body.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw RouteException.badRequest(name, name + " must be a string");
        }
        return Optional.of(text);
    }

    /** A list field, empty when absent or null. */
    static List<?> list(Map<String, Object> body, String name) {
        Object value = body.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw RouteException.badRequest(name, name + " must be a list");
        }
        return list;
    }

    private static long positive(String text, String name) {
        try {
            long value = Long.parseLong(text.strip());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RouteException.badRequest(name, name + " must be a positive whole number");
    }
}
