package io.mailroom.host.cli;

import io.mailroom.host.config.ConfigException;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mailroom}: the parent of every sub-command. */
@Command(name = "mailroom", mixinStandardHelpOptions = true, versionProvider = MailroomCommand.Version.class,
        description = "Connects mailboxes to applications.",
        subcommands = {ServeCommand.class, SyncCommand.class, MonitorCommand.class, TokenCommand.class,
                PluginsCommand.class, TestConnectionCommand.class, KeysCommand.class})
public final class MailroomCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The command line with Mailroom's error handling: a configuration error is one line, not a
     * stack trace; log lines as {@code mailroom.log.format} says; and every command but {@code serve}
     * without the plugin loader's INFO lines.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new MailroomCommand())
                .setExecutionStrategy(parseResult -> {
                    useConfiguredLogFormat();
                    CommandLine.ParseResult sub = parseResult.subcommand();
                    if (sub != null && !sub.commandSpec().name().equals("serve")) {
                        QuietLoaders.apply();
                    }
                    return new CommandLine.RunLast().execute(parseResult);
                })
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    if (e instanceof ConfigException) {
                        commandLine.getErr().println("Invalid configuration: " + e.getMessage());
                        return 78;
                    }
                    throw e;
                });
    }

    /** JSON log lines when {@code mailroom.log.format=json}; an invalid setting is the command's to report. */
    private static void useConfiguredLogFormat() {
        try {
            LogFormat.use(MailroomConfig.load().logFormat());
        } catch (ConfigException e) {
            // the command loads the configuration itself and stops with the key named
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MailroomCommand.class.getPackage().getImplementationVersion();
            return new String[]{"mailroom " + (version == null ? "development" : version)};
        }
    }
}
