package io.mailroom.host.plugins;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.HttpTransport;

import java.time.Clock;

/** The {@link ExtensionContext} of one plugin's extensions. */
public record PluginContext(String pluginId, Clock clock, HttpTransport http) implements ExtensionContext {

    @Override
    public System.Logger logger(Class<?> type) {
        return System.getLogger("plugin." + pluginId + "." + type.getSimpleName());
    }
}
