package io.mailroom.host.http;

import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.plugins.PluginHost;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /}, {@code /health}, {@code /metrics}, {@code /openapi.json} (the host's document and
 * the running plugins' routes) and {@code /api/plugins}, where a superadmin also enables and
 * disables a plugin at run time.
 */
public final class ServiceRoutes implements RouteGroup {

    private final BooleanSupplier databaseUp;
    private final PrometheusMeterRegistry metrics;
    private final Runnable beforeScrape;
    private final PluginHost plugins;
    private final OpenApiDocument openApi;

    /** {@code beforeScrape} brings gauges read from the database up to date. */
    public ServiceRoutes(BooleanSupplier databaseUp, PrometheusMeterRegistry metrics, Runnable beforeScrape,
                         PluginHost plugins) {
        this.databaseUp = databaseUp;
        this.metrics = metrics;
        this.beforeScrape = beforeScrape;
        this.plugins = plugins;
        this.openApi = OpenApiDocument.load();
    }

    /** What {@code /} answers: where a person or a script who found the port goes next. */
    private static final Map<String, String> INDEX = orderedIndex();

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.json(INDEX));
        routes.get("/health", ctx -> {
            boolean up = databaseUp.getAsBoolean();
            ctx.status(up ? 200 : 503).json(Map.of("status", up ? "up" : "down", "db", up ? "up" : "down"));
        });
        // ApiServer lets only a token with the metrics capability through.
        routes.get("/metrics", new MetricsScrape(metrics, beforeScrape));
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json")
                .result(openApi.with(plugins.routes().mounted())));
        routes.get("/api/plugins", ctx -> {
            Authentication.caller(ctx);
            ctx.json(plugins.plugins());
        });
        routes.put("/api/plugins/{id}", ctx -> {
            Authentication.superadmin(ctx);
            Object enabled = ctx.bodyAsClass(Map.class).get("enabled");
            if (!(enabled instanceof Boolean on)) {
                throw ApiException.invalid("enabled", "enabled must be true or false");
            }
            String id = ctx.pathParam("id");
            try {
                ctx.json(on ? plugins.enable(id) : plugins.disable(id));
            } catch (IllegalArgumentException e) {
                throw ApiException.notFound("plugin '" + id + "'");
            } catch (IllegalStateException e) {
                throw new ApiException(409, "plugin_not_startable", e.getMessage(), Map.of());
            }
        });
    }

    private static Map<String, String> orderedIndex() {
        Map<String, String> index = new LinkedHashMap<>();
        index.put("service", "mailroom");
        index.put("health", "/health");
        index.put("openapi", "/openapi.json");
        // Every /api route needs 'Authorization: Bearer <token>'; /api/me tells whose it is.
        index.put("api", "/api/me");
        index.put("metrics", "/metrics");
        index.put("admin", "/admin/");
        index.put("docs", "/api/docs");
        return Collections.unmodifiableMap(index);
    }
}
