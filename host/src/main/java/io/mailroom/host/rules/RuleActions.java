package io.mailroom.host.rules;

import io.mailroom.api.rule.RuleAction;
import io.mailroom.host.plugins.PluginHost;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds a rule action by id: a built-in first (a plugin cannot replace one), then the started
 * plugins', asked each time so that a plugin's action is usable as soon as the plugin starts and
 * unusable once it is disabled.
 */
public final class RuleActions {

    private final Map<String, RuleAction> builtIn;
    private final PluginHost plugins;

    /** {@code plugins} null: the built-ins alone. */
    public RuleActions(List<RuleAction> builtIn, PluginHost plugins) {
        this.builtIn = builtIn.stream().collect(Collectors.toUnmodifiableMap(RuleAction::id, Function.identity()));
        this.plugins = plugins;
    }

    public Optional<RuleAction> find(String id) {
        RuleAction action = builtIn.get(id);
        if (action != null || plugins == null) {
            return Optional.ofNullable(action);
        }
        return plugins.extension(RuleAction.class, id);
    }

    /** The ids usable now, sorted: the built-ins and the started plugins' (to tell an admin what exists). */
    public List<String> ids() {
        TreeSet<String> ids = new TreeSet<>(builtIn.keySet());
        if (plugins != null) {
            plugins.extensions(RuleAction.class).forEach(action -> ids.add(action.id()));
        }
        return List.copyOf(ids);
    }
}
