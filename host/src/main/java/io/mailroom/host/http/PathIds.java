package io.mailroom.host.http;

import io.javalin.http.Context;
import io.mailroom.host.errors.ApiException;

/** Reads the {@code {id}} of a route; an id that is not a number names nothing, so it is a 404. */
public final class PathIds {

    private PathIds() {
    }

    public static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound(ctx.path());
        }
    }
}
