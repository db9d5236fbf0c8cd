package io.mailroom.host.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.RouteGroup;

import java.util.Map;

/** {@code /api/maintenance}: the cluster-wide pause of new syncs; superadmin only. */
public final class MaintenanceRoutes implements RouteGroup {

    private final Maintenance maintenance;

    public MaintenanceRoutes(Maintenance maintenance) {
        this.maintenance = maintenance;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/maintenance", ctx -> {
            Authentication.superadmin(ctx);
            ctx.json(Map.of("paused", maintenance.paused()));
        });
        routes.post("/api/maintenance", ctx -> {
            Authentication.superadmin(ctx);
            JsonNode paused = ctx.bodyAsClass(JsonNode.class).path("paused");
            if (!paused.isBoolean()) {
                throw ApiException.invalid("paused", "paused must be true or false");
            }
            maintenance.setPaused(paused.booleanValue());
            ctx.json(Map.of("paused", maintenance.paused()));
        });
    }
}
