package io.mailroom.host.plugins;

import io.mailroom.api.route.PluginRoute;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The routes the started plugins serve under {@code /api}, as the HTTP server dispatches them.
 * Javalin cannot remove a route, so the server sends every {@code /api} request no route of its
 * own matched here, and {@link PluginHost} mounts a plugin's routes when it starts and unmounts
 * them when it stops: a disabled plugin's routes answer 404 at once.
 *
 * <p>A route may not share a request with a host route or another plugin's route: same method,
 * same number of segments, and at each segment equal literals or a parameter on either side. Within
 * one plugin such overlaps are allowed ({@code /tickets/review} beside {@code /tickets/{ref}}), and
 * the route with a literal at the first segment where they differ wins.
 *
 * <p>Thread-safe: look-ups read an immutable list that mounting replaces.
 */
public final class PluginRouteTable {

    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");

    /** A route of a started plugin, with its full path ({@code /api/tickets/{ref}}). */
    public record Mounted(String pluginId, String method, String fullPath, PluginRoute route, List<String> segments) {
    }

    /** The route a request matched and the values of its path parameters, decoded. */
    public record Match(Mounted mounted, Map<String, String> pathParameters) {
    }

    /** A host route, {@code GET /api/me}, that no plugin may serve. */
    private record Reserved(String method, String path, List<String> segments) {
    }

    private final List<Reserved> hostRoutes;
    private volatile List<Mounted> mounted = List.of();

    /** @param hostRoutes the host's own routes as {@code METHOD /path}, e.g. {@code GET /api/users/{id}} */
    public PluginRouteTable(Set<String> hostRoutes) {
        this.hostRoutes = hostRoutes.stream().map(route -> {
            String[] parts = route.split(" ", 2);
            return new Reserved(parts[0].toUpperCase(Locale.ROOT), parts[1], segments(parts[1]));
        }).toList();
    }

    /** An empty table, for a host that serves no HTTP (the {@code plugins} command). */
    public static PluginRouteTable none() {
        return new PluginRouteTable(Set.of());
    }

    /**
     * Mounts a plugin's routes, all or none.
     *
     * @throws IllegalArgumentException with a one-line reason: a malformed route, or one that
     *                                  collides with a host route or another plugin's
     */
    synchronized void mount(String pluginId, List<PluginRoute> routes) {
        List<Mounted> added = new ArrayList<>();
        Set<String> shapes = new HashSet<>();
        for (PluginRoute route : routes) {
            String method = route.method().toUpperCase(Locale.ROOT);
            String fullPath = "/api" + route.path();
            String where = method + " " + fullPath;
            if (!METHODS.contains(method)) {
                throw new IllegalArgumentException("route " + where + ": the method must be one of GET, POST, PUT, DELETE");
            }
            List<String> segments = segments(fullPath);
            checkSegments(where, segments);
            if (!shapes.add(method + " " + shape(segments))) {
                throw new IllegalArgumentException("route " + where + " is declared twice");
            }
            for (Reserved host : hostRoutes) {
                if (host.method().equals(method) && overlap(host.segments(), segments)) {
                    throw new IllegalArgumentException("route " + where + " collides with the host's route "
                            + host.method() + " " + host.path());
                }
            }
            for (Mounted other : mounted) {
                if (!other.pluginId().equals(pluginId) && other.method().equals(method)
                        && overlap(other.segments(), segments)) {
                    throw new IllegalArgumentException("route " + where + " collides with " + other.method() + " "
                            + other.fullPath() + " of plugin '" + other.pluginId() + "'");
                }
            }
            added.add(new Mounted(pluginId, method, fullPath, route, segments));
        }
        List<Mounted> next = new ArrayList<>(mounted);
        next.removeIf(m -> m.pluginId().equals(pluginId));
        next.addAll(added);
        // literals before parameters, segment by segment, so the first match is the most specific
        next.sort(Comparator.comparing((Mounted m) -> shape(m.segments())));
        mounted = List.copyOf(next);
    }

    /** Removes a plugin's routes; they answer 404 from now on. */
    synchronized void unmount(String pluginId) {
        List<Mounted> next = new ArrayList<>(mounted);
        if (next.removeIf(m -> m.pluginId().equals(pluginId))) {
            mounted = List.copyOf(next);
        }
    }

    /** The mounted routes, for {@code /openapi.json}. */
    public List<Mounted> mounted() {
        return mounted;
    }

    /** The route serving {@code method} on the request path {@code path} (raw, percent-encoded), if any. */
    public Optional<Match> match(String method, String path) {
        List<String> requested = List.of(path.substring(1).split("/", -1));
        for (Mounted candidate : mounted) {
            if (candidate.method().equals(method) && candidate.segments().size() == requested.size()) {
                Map<String, String> parameters = bind(candidate.segments(), requested);
                if (parameters != null) {
                    return Optional.of(new Match(candidate, parameters));
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> bind(List<String> template, List<String> requested) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String segment = template.get(i);
            String value = requested.get(i);
            if (isParameter(segment)) {
                if (value.isEmpty()) {
                    return null;
                }
                try {
                    parameters.put(segment.substring(1, segment.length() - 1), URLDecoder.decode(
                            value.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return null; // a broken %-escape matches nothing
                }
            } else if (!segment.equals(value)) {
                return null;
            }
        }
        return parameters;
    }

    private static void checkSegments(String where, List<String> segments) {
        Set<String> names = new HashSet<>();
        for (String segment : segments) {
            var parameter = PARAMETER.matcher(segment);
            if (parameter.matches()) {
                if (!names.add(parameter.group(1))) {
                    throw new IllegalArgumentException("route " + where + " names the parameter " + segment + " twice");
                }
            } else if (!LITERAL.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("route " + where + ": '" + segment
                        + "' is neither a literal segment nor a {name} parameter");
            }
        }
    }

    /** Whether one request could match both: same length, and no segment where two literals differ. */
    private static boolean overlap(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!isParameter(a.get(i)) && !isParameter(b.get(i)) && !a.get(i).equals(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Literals as they are and parameters as a character that sorts after every literal. */
    private static String shape(List<String> segments) {
        StringBuilder shape = new StringBuilder();
        for (String segment : segments) {
            shape.append('/').append(isParameter(segment) ? "\uffff" : segment);
        }
        return shape.toString();
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> segments(String path) {
        return List.of(path.substring(1).split("/", -1));
    }
}
