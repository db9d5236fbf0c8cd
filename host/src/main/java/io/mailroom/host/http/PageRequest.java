package io.mailroom.host.http;

import io.javalin.http.Context;

import io.mailroom.host.errors.ApiException;
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
        return from(ctx, MAX_LIMIT);
    }

    /** With a lower maximum, for pages whose items are large (messages with their bodies). */
    public static PageRequest from(Context ctx, int maxLimit) {
        return new PageRequest(limit(ctx.queryParam("limit"), maxLimit), afterId(ctx.queryParam("cursor")));
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

    /**
     * For lists not ordered by id (a thread's messages, oldest first): the cursor is then the
     * position the page starts at, and this builds the page from up to {@code limit + 1} rows
     * read at {@link #offset()}.
     */
    public <T> Page<T> pageAtOffset(List<T> rowsPlusOne, long total) {
        if (rowsPlusOne.size() <= limit) {
            return new Page<>(rowsPlusOne, null, total);
        }
        return new Page<>(List.copyOf(rowsPlusOne.subList(0, limit)), encode(afterId + limit), total);
    }

    /** A page of a short list held in memory whole (a mailbox's folders), by position. */
    public <T> Page<T> slice(List<T> all) {
        int from = (int) Math.min(afterId, all.size());
        return pageAtOffset(all.subList(from, Math.min(all.size(), from + fetchSize())), all.size());
    }

    /** Where a page read by position starts. */
    public long offset() {
        return afterId;
    }

    /** How many rows to read: one more than the page holds. */
    public int fetchSize() {
        return limit + 1;
    }

    private static int limit(String value, int maxLimit) {
        if (value == null) {
            return Math.min(DEFAULT_LIMIT, maxLimit);
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.invalid("limit", "limit must be a whole number from 1 to " + maxLimit);
    }

    private static long afterId(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            long afterId = Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
            if (afterId >= 0) {
                return afterId;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.invalid("cursor", "cursor is not one this server gave out");
    }

    private static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
    }
}
