package io.mailroom.api.route;

import java.util.Objects;

/**
 * One route of a {@link PluginRoutes}.
 *
 * @param method  {@code GET}, {@code POST}, {@code PUT} or {@code DELETE}
 * @param path    under {@code /api}, starting with {@code /}: literal segments and
 *                {@code {name}} parameters ({@code /tickets/{ref}/close})
 * @param access  who may call it
 * @param summary one line for {@code /openapi.json}
 * @param handler the code that answers
 */
public record PluginRoute(String method, String path, Access access, String summary, RouteHandler handler) {

    /** Who may call a route; every route needs a valid token. */
    public enum Access {
        /** Any signed-in user; the handler limits them to their own objects. */
        USER,
        /** Superadmins only: others get 403. */
        SUPERADMIN
    }

    public PluginRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(handler, "handler");
        summary = summary == null ? "" : summary;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with /: " + path);
        }
    }
}
