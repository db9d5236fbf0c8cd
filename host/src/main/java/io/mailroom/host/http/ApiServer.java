package io.mailroom.host.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: Javalin with the API's JSON shape, error format and bearer authentication
 * on {@code /api/*}, and the routes of every feature's {@link RouteGroup}. It also records the
 * routes it registered, so a test can hold the OpenAPI document against them. A
 * {@link PluginRouteDispatch} among the groups must come last: it answers what no other matched.
 */
public final class ApiServer implements AutoCloseable {

    /** A registered route, as {@code GET /api/users/{id}}. */
    public record Route(String method, String path) {
    }

    private final Javalin app;
    private final List<Route> routes = Collections.synchronizedList(new ArrayList<>());

    public ApiServer(Authentication authentication, MeterRegistry meters, List<RouteGroup> groups) {
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(JsonMapping.newMapper(), true));
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.events.handlerAdded(meta -> {
                // the plugins' catch-all is no route of its own: it serves those in the plugins' table
                if (meta.getHttpMethod().isHttpMethod() && !meta.getPath().equals(PluginRouteDispatch.PATH)) {
                    routes.add(new Route(meta.getHttpMethod().name(), meta.getPath()));
                }
            });
            config.requestLogger.http((ctx, millis) -> Timer.builder("mailroom.http.requests")
                    .tag("method", ctx.method().name())
                    .tag("route", routeOf(ctx))
                    .tag("status", Integer.toString(ctx.statusCode()))
                    .register(meters).record((long) (millis * 1000), TimeUnit.MICROSECONDS));
            ErrorHandling.install(config.routes);
            // first, so even a refusal has it: a browser must read an answer as the type it is sent
            // with (JSON quoting a message's subject is never sniffed into a page)
            config.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
            config.routes.before("/api/*", ctx -> {
                // the provider sends the browser to the OAuth callback without a token: the signed,
                // single-use state is its credential (see OAuthRoutes)
                boolean admitted = ctx.header("Authorization") == null
                        && groups.stream().anyMatch(group -> group.admitsWithoutToken(ctx.path()));
                if (ctx.method() != HandlerType.OPTIONS && !admitted) {
                    authentication.authenticate(ctx);
                }
            });
            config.routes.before("/metrics", ctx -> {
                if (ctx.method() != HandlerType.OPTIONS) {
                    authentication.authorizeMetrics(ctx);
                }
            });
            groups.forEach(group -> group.addTo(config.routes));
        });
    }

    /**
     * The route a request matched, for the metric's tag. A request no handler matched (an unknown
     * path outside {@code /api}) has no endpoint at all, and {@code ctx.endpoint()} throws then.
     */
    private static String routeOf(Context ctx) {
        List<Endpoint> matched = ctx.endpoints().list();
        for (int i = matched.size() - 1; i >= 0; i--) {
            if (matched.get(i).method.isHttpMethod()) {
                return matched.get(i).path;
            }
        }
        return "unmatched";
    }

    /** Starts listening; port 0 picks a free port. */
    public ApiServer start(int port) {
        app.start(port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void close() {
        app.stop();
    }
}
