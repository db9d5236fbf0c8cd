package io.mailroom.host.rules;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.host.filters.FilterCompiler;
import io.mailroom.host.filters.FilterPreview;
import io.mailroom.host.filters.PreviewCandidate;
import io.mailroom.host.http.PageRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rule's dry run: which stored messages of its mailbox (or of all its owner's mailboxes) its
 * condition matches, each with the actions that would run, described without their secrets. It
 * runs no action and writes nothing; it scans like the filter preview ({@link FilterPreview}:
 * at most {@value FilterPreview#MAX_SCAN} messages per call, {@code next_cursor} goes on).
 * Loop protection and earlier rules with {@code stop} are not applied: it shows what this rule
 * would ask for.
 */
public final class RulePreview {

    private final FilterCompiler compiler;
    private final RuleActions actions;
    private final FilterPreview preview;

    public RulePreview(FilterCompiler compiler, RuleActions actions, FilterPreview preview) {
        this.compiler = compiler;
        this.actions = actions;
        this.preview = preview;
    }

    public Map<String, Object> preview(Rule rule, PageRequest page) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("rule_id", rule.id());
        RuleCondition condition = RuleCondition.compile(compiler, rule.condition());
        if (condition.filter() == null) {
            // the chain runs such a rule on no message: so does its preview
            view.put("items", List.of());
            view.put("scanned", 0);
            view.put("next_cursor", null);
            view.put("problem", condition.problem());
            return view;
        }
        FilterPreview.Scan scan = rule.mailboxId() != null ? preview.mailbox(rule.mailboxId(), condition.filter(), page)
                : preview.ownedBy(rule.ownerUserId(), condition.filter(), page);
        List<Map<String, Object>> wouldRun = described(StoredAction.parse(rule.actions()));
        List<Map<String, Object>> items = new ArrayList<>();
        for (PreviewCandidate match : scan.matches()) {
            Map<String, Object> item = FilterPreview.view(match);
            item.put("actions", wouldRun);
            items.add(item);
        }
        view.put("items", items);
        view.put("scanned", scan.scanned());
        view.put("next_cursor", scan.nextCursor());
        view.put("problem", null);
        return view;
    }

    private List<Map<String, Object>> described(List<StoredAction> stored) {
        List<Map<String, Object>> described = new ArrayList<>();
        for (int index = 0; index < stored.size(); index++) {
            StoredAction action = stored.get(index);
            Optional<RuleAction> found = actions.find(action.type());
            List<SettingDescriptor> declared = ActionDataView.declared(actions, action.type());
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("index", index);
            one.put("type", action.type());
            one.put("summary", ActionDataView.summary(action, declared));
            one.put("sends_mail", found.map(RuleAction::sendsMail).orElse(false));
            one.put("available", found.isPresent());
            described.add(one);
        }
        return described;
    }
}
