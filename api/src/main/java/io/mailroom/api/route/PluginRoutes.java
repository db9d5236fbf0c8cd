package io.mailroom.api.route;

import io.mailroom.api.Extension;

import java.util.List;

/**
 * HTTP routes a plugin adds to the host's API ({@code /api/tickets}). The host mounts each route
 * under {@code /api}, checks the caller's bearer token and the route's {@link PluginRoute.Access}
 * before calling the handler, turns a {@link RouteException} into its error body (and any other
 * exception into a 500 that shows no detail), serializes the response body as JSON, and lists the
 * routes in {@code /openapi.json}. A route's path may not be one the host or another plugin
 * already serves. The routes disappear (404) while the plugin is disabled.
 *
 * <p>Lifecycle and threading as for every {@link Extension}: {@link #routes()} is read when the
 * plugin starts; handlers are called from many threads at once.
 */
public interface PluginRoutes extends Extension {

    /** The routes, fixed for the plugin's life. */
    List<PluginRoute> routes();
}
