package io.mailroom.host.cli;

import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.keys.KeyRotation;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code mailroom keys generate | reseal}: the master keys that seal stored secrets (docs/OPERATIONS.md). */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manages the master keys of stored secrets.",
        subcommands = {KeysCommand.Generate.class, KeysCommand.Reseal.class})
final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Prints a new random master key (base64, 256 bits); changes nothing.")
    static final class Generate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(MasterKeys.newKey());
            return 0;
        }
    }

    @Command(name = "reseal", mixinStandardHelpOptions = true,
            description = "Seals every stored secret again under the first configured key, so the others can be"
                    + " removed. Safe to repeat, and to run while Mailroom serves. Exits 1 when a value does not open, or a row"
                    + " changed while it ran (run it again then).")
    static final class Reseal implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            MailroomConfig config = MailroomConfig.load();
            if (!MasterKeys.present(config.secretKey(), config.dataDir())) {
                // a new key made here would open nothing stored, and a later start would take it
                spec.commandLine().getErr().println("No master key: neither mailroom.secret.key (MAILROOM_SECRET_KEY)"
                        + " nor " + MasterKeys.keyFile(config.dataDir()) + " is there."
                        + " Run this with the settings Mailroom runs with.");
                return 1;
            }
            SecretSealer sealer = new SecretSealer(MasterKeys.load(config.secretKey(), config.dataDir()));
            KeyRotation.Report report;
            try (Database database = Database.open(config)) {
                report = new KeyRotation(database.jdbi(), sealer).resealAll();
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Sealing under key %s (the first master key)%n", report.currentKeyId());
            out.printf("%-30s %9s %9s %9s %7s%n", "COLUMN", "RESEALED", "CURRENT", "CHANGED", "FAILED");
            for (KeyRotation.ColumnReport column : report.columns()) {
                out.printf("%-30s %9d %9d %9d %7d%n", column.column(), column.resealed(), column.current(),
                        column.changedMeanwhile(), column.problems().size());
            }
            if (report.failed() > 0) {
                PrintWriter err = spec.commandLine().getErr();
                report.columns().forEach(column -> column.problems().forEach(problem -> err.println("  " + problem)));
                err.printf("%d sealed values did not open: keep the key they need configured (after the first) and"
                        + " run this again; until then do not remove any key.%n", report.failed());
                return 1;
            }
            long changed = report.columns().stream().mapToLong(KeyRotation.ColumnReport::changedMeanwhile).sum();
            if (changed > 0) {
                spec.commandLine().getErr().printf("%d rows changed while this ran: run it again.%n", changed);
                return 1;
            }
            out.printf("Every stored secret is sealed under key %s: the other keys can be removed.%n",
                    report.currentKeyId());
            return 0;
        }
    }
}
