package io.mailroom.host.rules;

import io.mailroom.api.Settings;
import io.mailroom.host.filters.FilterCompiler;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules that apply to a mailbox's messages: active, the mailbox's own and its owner's rules
 * for all their mailboxes, lowest priority first (then by id), conditions compiled and actions'
 * secrets opened.
 *
 * <p>Read from the database on every call, not cached: one indexed query, and every node sees a
 * change at once, as well as an operator's plugin starting or stopping (which changes what a
 * stored condition compiles to without changing the rule). A rule that cannot run now (its
 * condition names an operator no started plugin serves, a secret that no longer opens) comes
 * back with a {@code null} condition and a {@code problem}; this never throws for one rule's sake.
 * Thread-safe.
 */
public final class RuleBook {

    private final Jdbi jdbi;
    private final FilterCompiler compiler;
    private final ActionSecrets secrets;

    public RuleBook(Jdbi jdbi, FilterCompiler compiler, SecretSealer sealer) {
        this.jdbi = jdbi;
        this.compiler = compiler;
        this.secrets = new ActionSecrets(sealer);
    }

    /** The active rules for a mailbox in the order they run; none for a mailbox that does not exist. */
    public List<ActiveRule> rulesFor(long mailboxId) {
        List<ActiveRule> rules = new ArrayList<>();
        for (Rule rule : jdbi.onDemand(RuleDao.class).activeFor(mailboxId)) {
            rules.add(active(rule));
        }
        return rules;
    }

    private ActiveRule active(Rule rule) {
        RuleCondition condition = RuleCondition.compile(compiler, rule.condition());
        List<StoredAction> opened;
        try {
            opened = secrets.open(rule.id(), StoredAction.parse(rule.actions()));
        } catch (RuntimeException e) {
            return new ActiveRule(rule.id(), rule.name(), null,
                    "the secret data of an action cannot be opened (was the master key changed?)", List.of(), rule.stop());
        }
        List<ActiveAction> actions = new ArrayList<>();
        for (int index = 0; index < opened.size(); index++) {
            StoredAction action = opened.get(index);
            actions.add(new ActiveAction(index, action.type(), Settings.of(action.data(), action.secretNames())));
        }
        return new ActiveRule(rule.id(), rule.name(), condition.filter(), condition.problem(), actions, rule.stop());
    }
}
