package io.mailroom.host.http;

import io.javalin.config.RoutesConfig;

/** A feature's routes. Each feature adds its group to {@link ApiServer}; nothing else registers routes. */
public interface RouteGroup {

    void addTo(RoutesConfig routes);

    /**
     * Whether a request to {@code path} without a bearer token is this group's to judge (the OAuth
     * callback, where a provider sends the browser back); every other {@code /api} route needs a token.
     */
    default boolean admitsWithoutToken(String path) {
        return false;
    }
}
