package io.mailroom.host.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Answers a Prometheus scrape, on the API port (behind a token) or on the metrics port. */
final class MetricsScrape implements Handler {

    private final PrometheusMeterRegistry metrics;
    private final Runnable beforeScrape;

    /** {@code beforeScrape} brings gauges read from the database up to date. */
    MetricsScrape(PrometheusMeterRegistry metrics, Runnable beforeScrape) {
        this.metrics = metrics;
        this.beforeScrape = beforeScrape;
    }

    @Override
    public void handle(Context ctx) {
        beforeScrape.run();
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
