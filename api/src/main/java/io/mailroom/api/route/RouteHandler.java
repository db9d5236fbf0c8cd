package io.mailroom.api.route;

import io.mailroom.api.ExtensionContext;

/** Answers one request to a {@link PluginRoute}. */
@FunctionalInterface
public interface RouteHandler {

    /**
     * @param context the plugin's context (its database, the directory, outbound mail…)
     * @throws RouteException for an answer other than success (400 with the field's path, 404…)
     */
    RouteResponse handle(RouteRequest request, ExtensionContext context);
}
