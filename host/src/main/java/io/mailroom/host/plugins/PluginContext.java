package io.mailroom.host.plugins;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.HttpTransport;

import javax.net.SocketFactory;
import java.time.Clock;

/**
 * The {@link ExtensionContext} of one plugin's extensions. {@code http} and {@code sockets} apply
 * the installation's address rule ({@link io.mailroom.host.network.PrivateAddressPolicy}).
 */
public record PluginContext(String pluginId, Clock clock, HttpTransport http, SocketFactory sockets)
        implements ExtensionContext {

    @Override
    public System.Logger logger(Class<?> type) {
        return System.getLogger("plugin." + pluginId + "." + type.getSimpleName());
    }
}
