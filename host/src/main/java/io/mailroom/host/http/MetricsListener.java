package io.mailroom.host.http;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;

/**
 * The optional second listener of {@code mailroom.metrics.port}: {@code /metrics} without a
 * token, for a scraper that cannot send one. It serves nothing else and binds to
 * {@code mailroom.metrics.bind}, loopback unless the operator says otherwise, so only this host
 * (or whom the operator lets in) reads the metrics.
 */
public final class MetricsListener implements AutoCloseable {

    private final Javalin app;

    private MetricsListener(Javalin app) {
        this.app = app;
    }

    /** Starts listening on {@code bind}:{@code port}; port 0 picks a free port. */
    public static MetricsListener start(String bind, int port, PrometheusMeterRegistry metrics, Runnable beforeScrape) {
        MetricsScrape scrape = new MetricsScrape(metrics, beforeScrape);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.concurrency.useVirtualThreads = true;
            config.routes.get("/metrics", scrape);
            config.routes.error(404, ctx -> ctx.json(new ErrorBody("not_found",
                    "this port serves /metrics only", Map.of())));
        });
        app.start(bind, port);
        return new MetricsListener(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
