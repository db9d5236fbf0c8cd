package io.mailroom.host.pipeline;

import io.mailroom.api.Extension;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.rules.RuleActions;

import java.util.Optional;
import java.util.function.Function;

/**
 * The chain's extensions in a running host: rule actions through {@link RuleActions} (built-ins
 * first), sinks from the started plugins, each called with its plugin's context
 * ({@code contexts} builds one for a plugin id; a built-in action gets the host's, {@code mailroom}).
 */
public final class PluginChainExtensions implements ChainExtensions {

    static final String HOST = "mailroom";

    private final RuleActions actions;
    private final PluginHost plugins;
    private final Function<String, ExtensionContext> contexts;

    public PluginChainExtensions(RuleActions actions, PluginHost plugins, Function<String, ExtensionContext> contexts) {
        this.actions = actions;
        this.plugins = plugins;
        this.contexts = contexts;
    }

    @Override
    public Optional<RuleAction> action(String id) {
        return actions.find(id);
    }

    @Override
    public Optional<TicketSink> sink(String id) {
        return plugins.extension(TicketSink.class, id);
    }

    @Override
    public ExtensionContext context(Extension extension) {
        Optional<String> plugin = switch (extension) {
            case TicketSink sink -> plugins.pluginOf(TicketSink.class, sink.id());
            case RuleAction action -> plugins.pluginOf(RuleAction.class, action.id())
                    .filter(id -> plugins.extension(RuleAction.class, action.id()).orElse(null) == action);
            default -> Optional.empty();
        };
        return contexts.apply(plugin.orElse(HOST));
    }
}
