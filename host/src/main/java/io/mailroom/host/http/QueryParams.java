package io.mailroom.host.http;

import io.javalin.http.Context;
import io.mailroom.host.errors.ApiException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Reads optional query parameters; a value of the wrong form is a 400 naming the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    /** A whole number, or null when the parameter is not given. */
    public static Long optionalLong(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, name + " must be a whole number");
        }
    }

    /** A UTC day ({@code 2026-01-31}), or null when the parameter is not given. */
    public static LocalDate optionalDay(Context ctx, String name) {
        String value = ctx.queryParam(name);
        try {
            return value == null ? null : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, name + " must be a day like 2026-01-31");
        }
    }

    /** An instant in ISO-8601 UTC, or null when the parameter is not given. */
    public static Instant optionalInstant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, name + " must be an ISO-8601 UTC time like 2026-01-31T00:00:00Z");
        }
    }
}
