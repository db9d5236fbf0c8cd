package io.mailroom.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailroom.api.route.PluginRoute;
import io.mailroom.host.plugins.PluginRouteTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /openapi.json}: the host's document, a resource a test holds against the registered
 * routes, with the routes of the running plugins added. Rendered again only when the mounted
 * routes change.
 */
public final class OpenApiDocument {

    /** The host's document on the class path. */
    public static final String RESOURCE = "/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    private final ObjectNode host;
    private volatile Rendered rendered;

    private record Rendered(List<PluginRouteTable.Mounted> routes, byte[] document) {
    }

    private OpenApiDocument(ObjectNode host) {
        this.host = host;
    }

    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the host jar");
            }
            return new OpenApiDocument((ObjectNode) JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host's routes as {@code GET /api/users/{id}}: no plugin may serve one of them. */
    public Set<String> hostRoutes() {
        Set<String> routes = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : host.path("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return routes;
    }

    /** The document with {@code routes} (the plugins' mounted now) added. */
    public byte[] with(List<PluginRouteTable.Mounted> routes) {
        Rendered last = rendered;
        if (last != null && last.routes() == routes) {
            return last.document();
        }
        ObjectNode document = host.deepCopy();
        ObjectNode paths = document.withObjectProperty("paths");
        for (PluginRouteTable.Mounted route : routes) {
            ObjectNode operation = paths.withObjectProperty(route.fullPath()).putObject(route.method().toLowerCase(Locale.ROOT));
            operation.put("summary", route.route().summary());
            operation.put("description", "Served by plugin '" + route.pluginId() + "'"
                    + (route.route().access() == PluginRoute.Access.SUPERADMIN ? "; superadmin only." : "."));
            operation.putArray("tags").add("plugin:" + route.pluginId());
            ArrayNode parameters = operation.putArray("parameters");
            for (String segment : route.segments()) {
                if (segment.startsWith("{")) {
                    ObjectNode parameter = parameters.addObject();
                    parameter.put("name", segment.substring(1, segment.length() - 1));
                    parameter.put("in", "path");
                    parameter.put("required", true);
                    parameter.putObject("schema").put("type", "string");
                }
            }
            ObjectNode responses = operation.putObject("responses");
            responses.putObject("200").put("description", "the plugin's answer (JSON)");
            for (String status : List.of("400", "401", "403", "404")) {
                responses.putObject(status).put("$ref", "#/components/responses/Error");
            }
            responses.putObject("429").put("$ref", "#/components/responses/TooManyFailedLogins");
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rendered = new Rendered(routes, bytes);
        return bytes;
    }
}
