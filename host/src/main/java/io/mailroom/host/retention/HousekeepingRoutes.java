package io.mailroom.host.retention;

import io.javalin.config.RoutesConfig;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.RouteGroup;

import java.util.Map;

/**
 * {@code /api/maintenance/housekeeping}, superadmin only: GET tells what a run would delete now
 * (nothing is deleted); POST runs it now, on this node, and answers what it deleted; 409 while a
 * run (the daily one, or another asked for) holds the lock.
 */
public final class HousekeepingRoutes implements RouteGroup {

    private final Housekeeping housekeeping;
    private final int retentionDays;
    private final int housekeepingDays;

    public HousekeepingRoutes(Housekeeping housekeeping, int retentionDays, int housekeepingDays) {
        this.housekeeping = housekeeping;
        this.retentionDays = retentionDays;
        this.housekeepingDays = housekeepingDays;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/maintenance/housekeeping", ctx -> {
            Authentication.superadmin(ctx);
            ctx.json(Map.of("retention_days", retentionDays, "housekeeping_days", housekeepingDays,
                    "would_delete", housekeeping.plan()));
        });
        routes.post("/api/maintenance/housekeeping", ctx -> {
            Authentication.superadmin(ctx);
            HousekeepingReport report = housekeeping.run().orElseThrow(() -> new ApiException(409, "housekeeping_running",
                    "housekeeping is running already (the daily run, or another one asked for); try again later", Map.of()));
            ctx.json(Map.of("retention_days", retentionDays, "housekeeping_days", housekeepingDays, "deleted", report));
        });
    }
}
