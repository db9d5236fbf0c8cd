package io.mailroom.host.cli;

import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.plugins.PluginReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

import java.util.concurrent.Callable;

/** {@code mailroom plugins}: what the plugins directory holds and whether each plugin starts. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "Lists the plugins in the plugins directory, their state and extensions.")
final class PluginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MailroomConfig config = MailroomConfig.load();
        try (PluginHost plugins = new PluginHost(config.pluginsDir(), config.disabledPlugins())) {
            plugins.start();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-20s %-16s %-10s %s%n", "ID", "VERSION", "STATE", "EXTENSIONS / ERROR");
            for (PluginReport plugin : plugins.plugins()) {
                out.printf("%-20s %-16s %-10s %s%n", plugin.id(), plugin.version(), plugin.state(),
                        plugin.error() == null ? plugin.extensions() : plugin.error());
            }
            return plugins.plugins().stream().anyMatch(plugin -> plugin.error() != null) ? 1 : 0;
        }
    }
}
