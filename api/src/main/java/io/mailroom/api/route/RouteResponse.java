package io.mailroom.api.route;

/**
 * A handler's answer: the status and a body the host serializes as JSON (maps, lists, strings,
 * numbers, booleans, {@code null}, records), or none for 204.
 */
public record RouteResponse(int status, Object body) {

    public RouteResponse {
        if (status < 200 || status > 299) {
            throw new IllegalArgumentException("a response is a success; throw RouteException for " + status);
        }
    }

    public static RouteResponse ok(Object body) {
        return new RouteResponse(200, body);
    }

    public static RouteResponse created(Object body) {
        return new RouteResponse(201, body);
    }

    public static RouteResponse noContent() {
        return new RouteResponse(204, null);
    }
}
