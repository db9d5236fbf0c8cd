package io.mailroom.host.rules;

import java.time.Instant;

/**
 * A stored rule, as its row holds it.
 *
 * @param ownerUserId the user who made it; a rule for all mailboxes applies to those this user owns
 * @param mailboxId   the one mailbox it applies to, or {@code null} for all of the owner's
 * @param condition   the filter DSL's JSON, or {@code null} for every message
 * @param actions     the actions' JSON, secrets sealed ({@link StoredAction})
 */
public record Rule(long id, long ownerUserId, Long mailboxId, String name, String condition, String actions,
                   int priority, boolean active, boolean stop, Instant createdAt, Instant updatedAt) {
}
