package io.mailroom.host.http;

import java.util.List;

/**
 * The envelope of every list: items, an opaque cursor to the next page (null on the last), and
 * the total count.
 */
public record Page<T>(List<T> items, String nextCursor, long total) {
}
