package io.mailroom.host.rules;

import java.util.List;

/**
 * The rules that apply to a mailbox's messages: active, the mailbox's own and its owner's rules
 * for all their mailboxes, lowest priority first (then by id).
 *
 * <p>PLACEHOLDER until the rules branch lands: returns no rules.
 */
public final class RuleBook {

    public List<ActiveRule> rulesFor(long mailboxId) {
        return List.of();
    }
}
