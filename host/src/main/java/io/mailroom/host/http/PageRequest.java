package io.mailroom.host.http;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * {@code ?limit=} (default 50, at most 500) and {@code ?cursor=}. Lists are ordered by id; the
 * cursor is the last id of the previous page, encoded so clients treat it as opaque.
 *
 * @param afterId the id the page starts after (0 for the first page)
 */
public record PageRequest(int limit, long afterId) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static PageRequest from(Context ctx) {
        return new PageRequest(limit(ctx.queryParam("limit")), afterId(ctx.queryParam("cursor")));
    }

    /**
     * Builds the page from up to {@code limit + 1} rows read after {@link #afterId()}: the extra
     * row, when present, only tells that a next page exists.
     */
    public <T> Page<T> page(List<T> rowsPlusOne, ToLongFunction<T> id, long total) {
        if (rowsPlusOne.size() <= limit) {
            return new Page<>(rowsPlusOne, null, total);
        }
        List<T> items = rowsPlusOne.subList(0, limit);
        return new Page<>(List.copyOf(items), encode(id.applyAsLong(items.getLast())), total);
    }

    /** How many rows to read: one more than the page holds. */
    public int fetchSize() {
        return limit + 1;
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.invalid("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static long afterId(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("cursor", "cursor is not one this server gave out");
        }
    }

    private static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
    }
}
