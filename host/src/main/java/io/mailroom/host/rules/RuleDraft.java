package io.mailroom.host.rules;

import java.util.List;

/**
 * A rule as a create or update will store it, every field checked.
 *
 * @param condition the condition's JSON, or {@code null} for every message
 * @param actions   the actions with their secrets in clear, or {@code null} on an update that
 *                  keeps the stored ones as they are
 */
record RuleDraft(Long mailboxId, String name, String condition, List<StoredAction> actions, int priority,
                 boolean active, boolean stop) {
}
