package io.mailroom.api.route;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request the host has authenticated.
 *
 * @param callerId         the id of the user whose token was used
 * @param callerSuperadmin whether that user is a superadmin
 * @param pathParameters   the values of the path's {@code {name}} parameters, decoded
 * @param query            the query parameters, decoded, values in order
 * @param body             the JSON body parsed into {@code Map<String, Object>}, {@code List},
 *                         {@code String}, {@code Number}, {@code Boolean} or {@code null}; null
 *                         when there is none. The host refuses bodies over 1 MiB and JSON that
 *                         does not parse (400) before the handler runs.
 */
public record RouteRequest(String method, String path, long callerId, boolean callerSuperadmin,
                           Map<String, String> pathParameters, Map<String, List<String>> query, Object body) {

    public RouteRequest {
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
    }

    /** A path parameter the route declares. */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no path parameter " + name);
        }
        return value;
    }

    /** The first value of a query parameter, if given. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
