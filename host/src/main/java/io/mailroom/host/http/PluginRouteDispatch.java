package io.mailroom.host.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.api.route.PluginRoute;
import io.mailroom.api.route.RouteException;
import io.mailroom.api.route.RouteRequest;
import io.mailroom.api.route.RouteResponse;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.plugins.PluginContexts;
import io.mailroom.host.plugins.PluginRouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the plugins' routes ({@link io.mailroom.api.route.PluginRoutes}). Javalin cannot remove
 * a route, so this group takes every {@code /api} request that no host route matched (it is
 * added last) and looks it up in the {@link PluginRouteTable}, which the plugin host changes as
 * plugins start and stop; no match is the usual 404.
 *
 * <p>The caller's token was checked before (ApiServer); here the route's access (403 for a
 * {@code SUPERADMIN} route), the JSON body (at most 1 MiB; 413 over it, 400 when it does not
 * parse), the handler's {@link RouteException} as the error format, any other failure as a 500
 * that shows nothing of it (it is logged), and the answer serialized with the API's JSON mapper.
 */
public final class PluginRouteDispatch implements RouteGroup {

    /** The catch-all path; the server does not list it among its routes. */
    public static final String PATH = "/api/*";
    static final int MAX_BODY = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(PluginRouteDispatch.class);

    private final PluginRouteTable table;
    private final PluginContexts contexts;
    private final ObjectMapper json = JsonMapping.newMapper();

    public PluginRouteDispatch(PluginRouteTable table, PluginContexts contexts) {
        this.table = table;
        this.contexts = contexts;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(PATH, this::dispatch);
        routes.post(PATH, this::dispatch);
        routes.put(PATH, this::dispatch);
        routes.delete(PATH, this::dispatch);
    }

    private void dispatch(Context ctx) throws IOException {
        PluginRouteTable.Match match = table.match(ctx.method().name(), ctx.path()).orElseThrow(() ->
                new ApiException(404, "not_found", "no such route: " + ctx.method() + " " + ctx.path(), Map.of()));
        PluginRouteTable.Mounted mounted = match.mounted();
        User caller = mounted.route().access() == PluginRoute.Access.SUPERADMIN
                ? Authentication.superadmin(ctx) : Authentication.caller(ctx);
        RouteRequest request = new RouteRequest(mounted.method(), mounted.route().path(), caller.id(),
                caller.isSuperadmin(), match.pathParameters(), new HashMap<>(ctx.queryParamMap()), body(ctx));
        RouteResponse response;
        try {
            response = mounted.route().handler().handle(request, contexts.forPlugin(mounted.pluginId()));
        } catch (RouteException e) {
            throw new ApiException(e.status(), e.error(), e.getMessage(),
                    e.path() == null ? Map.of() : Map.of("path", e.path()));
        } catch (RuntimeException | LinkageError e) {
            throw failed(ctx, mounted, e);
        }
        if (response == null) {
            throw failed(ctx, mounted, new IllegalStateException("the handler returned no response"));
        }
        ctx.status(response.status());
        if (response.status() != 204) {
            byte[] body;
            try {
                body = json.writeValueAsBytes(response.body());
            } catch (IOException | RuntimeException e) {
                throw failed(ctx, mounted, e);
            }
            ctx.contentType("application/json").result(body);
        }
    }

    /** The JSON body as maps and lists, or null when there is none. */
    private Object body(Context ctx) throws IOException {
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "payload_too_large", "the body is over 1 MiB", Map.of());
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        return json.readValue(bytes, Object.class);
    }

    private static ApiException failed(Context ctx, PluginRouteTable.Mounted mounted, Throwable e) {
        String reference = Long.toString(System.nanoTime(), 36);
        LOG.error("plugin {} failed on {} {} (reference {})", mounted.pluginId(), ctx.method(), ctx.path(), reference, e);
        return new ApiException(500, "internal_error", "the plugin failed; see the server's log, reference " + reference,
                Map.of());
    }
}
