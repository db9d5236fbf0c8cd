package io.mailroom.host.http;

import io.javalin.config.RoutesConfig;

/** A feature's routes. Each feature adds its group to {@link ApiServer}; nothing else registers routes. */
public interface RouteGroup {

    void addTo(RoutesConfig routes);
}
