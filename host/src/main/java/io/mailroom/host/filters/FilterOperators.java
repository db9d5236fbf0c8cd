package io.mailroom.host.filters;

import io.mailroom.api.filter.FilterOperator;
import io.mailroom.host.filters.operators.BuiltInOperators;
import io.mailroom.host.plugins.PluginHost;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds an operator by id when a filter is compiled: a built-in first (a plugin cannot replace
 * one), then the started plugins', asked each time so that a plugin's operator is usable as soon
 * as the plugin starts and unusable once it is disabled.
 */
public final class FilterOperators {

    private static final Map<String, FilterOperator> BUILT_IN = BuiltInOperators.ALL.stream()
            .collect(Collectors.toUnmodifiableMap(FilterOperator::id, Function.identity()));

    private final PluginHost plugins;

    /** {@code plugins} null: the built-ins alone. */
    public FilterOperators(PluginHost plugins) {
        this.plugins = plugins;
    }

    public Optional<FilterOperator> find(String id) {
        FilterOperator builtIn = BUILT_IN.get(id);
        if (builtIn != null || plugins == null) {
            return Optional.ofNullable(builtIn);
        }
        return plugins.extension(FilterOperator.class, id);
    }
}
