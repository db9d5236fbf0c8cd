package io.mailroom.host.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.filters.FilterCompiler;
import io.mailroom.host.http.Page;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates, changes, lists and removes rules. A user manages the rules of the mailboxes they own
 * and their own rules for all their mailboxes; a superadmin manages every rule. Every field is
 * checked ({@link RuleCheck}) before anything is written, so a refused request changes nothing;
 * secret action data are sealed for the rule before they are stored and never shown.
 */
public final class Rules {

    private final Jdbi jdbi;
    private final FilterCompiler compiler;
    private final RuleActions actions;
    private final RuleCheck check;
    private final ActionSecrets secrets;

    public Rules(Jdbi jdbi, Mailboxes mailboxes, FilterCompiler compiler, RuleActions actions, SecretSealer sealer) {
        this.jdbi = jdbi;
        this.compiler = compiler;
        this.actions = actions;
        this.check = new RuleCheck(mailboxes, compiler, actions);
        this.secrets = new ActionSecrets(sealer);
    }

    /** The rule if the caller may see it; 404 otherwise. */
    public Rule visible(User caller, long id) {
        return jdbi.onDemand(RuleDao.class).findVisible(id, viewer(caller))
                .orElseThrow(() -> ApiException.notFound("rule " + id));
    }

    /** The caller's rules in id order; {@code mailboxId} non-null: only that mailbox's (already checked visible). */
    public Page<Rule> page(User caller, Long mailboxId, PageRequest page) {
        RuleDao dao = jdbi.onDemand(RuleDao.class);
        return page.page(dao.page(viewer(caller), mailboxId, page.afterId(), page.fetchSize()), Rule::id,
                dao.count(viewer(caller), mailboxId));
    }

    public Rule create(User caller, JsonNode body) {
        RuleDraft draft = check.check(caller, body, null, List.of());
        return jdbi.inTransaction(handle -> {
            RuleDao dao = handle.attach(RuleDao.class);
            long id = dao.nextId();
            dao.insert(id, caller.id(), draft.mailboxId(), draft.name(), draft.condition(),
                    StoredAction.toJson(secrets.seal(id, draft.actions())), draft.priority(), draft.active(), draft.stop());
            return dao.findVisible(id, null).orElseThrow();
        });
    }

    public Rule update(User caller, long id, JsonNode body) {
        Rule current = visible(caller, id);
        RuleDraft draft = check.check(caller, body, current, openedOrNone(current));
        String stored = draft.actions() == null ? current.actions()
                : StoredAction.toJson(secrets.seal(id, draft.actions()));
        return jdbi.inTransaction(handle -> {
            RuleDao dao = handle.attach(RuleDao.class);
            dao.update(id, draft.mailboxId(), draft.name(), draft.condition(), stored, draft.priority(), draft.active(),
                    draft.stop());
            return dao.findVisible(id, null).orElseThrow();
        });
    }

    public void delete(User caller, long id) {
        visible(caller, id);
        jdbi.onDemand(RuleDao.class).delete(id);
    }

    /** The rule as the API shows it: secrets as {@code <name>_set}, and why it cannot run now, if so. */
    public Map<String, Object> view(Rule rule) {
        List<String> problems = new ArrayList<>();
        RuleCondition condition = RuleCondition.compile(compiler, rule.condition());
        if (condition.problem() != null) {
            problems.add(condition.problem());
        }
        List<Map<String, Object>> shownActions = new ArrayList<>();
        List<StoredAction> stored = StoredAction.parse(rule.actions());
        for (int index = 0; index < stored.size(); index++) {
            StoredAction action = stored.get(index);
            ActionDataView.unavailable(actions, index, action.type()).ifPresent(problems::add);
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("type", action.type());
            shown.put("data", ActionDataView.shown(action, ActionDataView.declared(actions, action.type())));
            shownActions.add(shown);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", rule.id());
        view.put("mailbox_id", rule.mailboxId());
        view.put("owner_user_id", rule.ownerUserId());
        view.put("name", rule.name());
        view.put("condition", rule.condition() == null ? null : RuleCondition.tree(rule.condition()));
        view.put("actions", shownActions);
        view.put("priority", rule.priority());
        view.put("active", rule.active());
        view.put("stop", rule.stop());
        view.put("problem", problems.isEmpty() ? null : String.join("; ", problems));
        view.put("created_at", rule.createdAt());
        view.put("updated_at", rule.updatedAt());
        return view;
    }

    /** The stored actions with secrets opened; none when they do not open, so secrets must be given again. */
    private List<StoredAction> openedOrNone(Rule rule) {
        try {
            return secrets.open(rule.id(), StoredAction.parse(rule.actions()));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static Long viewer(User caller) {
        return Mailboxes.viewer(caller);
    }
}
