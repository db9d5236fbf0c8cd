package io.mailroom.host.http;

import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mailroom.host.plugins.PluginHost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /}, {@code /health}, {@code /metrics}, {@code /openapi.json} and {@code /api/plugins}. */
public final class ServiceRoutes implements RouteGroup {

    /** The OpenAPI document, a resource held against the registered routes by a test. */
    public static final String OPENAPI_RESOURCE = "/openapi.json";

    private final BooleanSupplier databaseUp;
    private final PrometheusMeterRegistry metrics;
    private final Runnable beforeScrape;
    private final PluginHost plugins;
    private final byte[] openApi;

    /** {@code beforeScrape} brings gauges read from the database up to date. */
    public ServiceRoutes(BooleanSupplier databaseUp, PrometheusMeterRegistry metrics, Runnable beforeScrape,
                         PluginHost plugins) {
        this.databaseUp = databaseUp;
        this.metrics = metrics;
        this.beforeScrape = beforeScrape;
        this.plugins = plugins;
        this.openApi = readOpenApi();
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
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        routes.get("/api/plugins", ctx -> {
            Authentication.caller(ctx);
            ctx.json(plugins.plugins());
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

    private static byte[] readOpenApi() {
        try (InputStream in = ServiceRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the host jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
