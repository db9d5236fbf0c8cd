package io.mailroom.host.http;

import io.javalin.http.Context;
import io.mailroom.host.errors.ApiException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/** Reads optional query parameters; a value of the wrong form is a 400 naming the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    /** A whole number, or null when the parameter is not given. */
    public static Long optionalLong(Context ctx, String name) {
        return optional(ctx, name, Long::parseLong, "a whole number");
    }

    /** A UTC day ({@code 2026-01-31}), or null when the parameter is not given. */
    public static LocalDate optionalDay(Context ctx, String name) {
        return optional(ctx, name, LocalDate::parse, "a day like 2026-01-31");
    }

    /** An instant in ISO-8601 UTC, or null when the parameter is not given. */
    public static Instant optionalInstant(Context ctx, String name) {
        return optional(ctx, name, Instant::parse, "an ISO-8601 UTC time like 2026-01-31T00:00:00Z");
    }

    /** The parameter read by {@code parse}, or null when not given; a value {@code parse} refuses is a 400. */
    private static <T> T optional(Context ctx, String name, Function<String, T> parse, String form) {
        String value = ctx.queryParam(name);
        try {
            return value == null ? null : parse.apply(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw ApiException.invalid(name, name + " must be " + form);
        }
    }
}
