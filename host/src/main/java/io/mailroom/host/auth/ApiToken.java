package io.mailroom.host.auth;

import java.time.Instant;

/**
 * A bearer token as its owner (or a superadmin) sees it: never the secret nor its hash.
 *
 * @param lastUsedAt when it last authenticated a request, to the minute: it is written at most
 *                   once a minute, so that reads do not each cost a write
 */
public record ApiToken(long id, long userId, String name, Instant createdAt, Instant lastUsedAt) {
}
