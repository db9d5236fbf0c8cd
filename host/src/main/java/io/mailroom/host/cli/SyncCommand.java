package io.mailroom.host.cli;

import io.mailroom.host.MailroomCore;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.Poll;
import io.mailroom.host.mailboxes.MailboxDao;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code mailroom sync}: syncs mailboxes now, in this process, and prints each run's poll, and
 * while it runs its progress after each batch ({@link ProgressPrinter}). A run here is not cut
 * into slices: whoever runs it waits for the whole import.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Syncs mailboxes now and prints each poll; exits 1 when one failed.")
final class SyncCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    Which which;

    @Option(names = "--force", description = "Also sync disabled mailboxes.")
    boolean force;

    @Spec
    CommandSpec spec;

    static final class Which {
        @Option(names = "--mailbox", paramLabel = "ID", description = "The mailbox with this id.")
        Long mailboxId;

        @Option(names = "--email", paramLabel = "ADDR", description = "The mailboxes with this address.")
        String email;

        @Option(names = "--all", description = "Every mailbox, in ascending priority (0 before 10).")
        boolean all;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MailroomCore core = MailroomCore.open(MailroomConfig.load())) {
            if (core.maintenance().paused()) {
                spec.commandLine().getErr().println("Syncing is paused for maintenance (POST /api/maintenance); nothing synced.");
                return 1;
            }
            List<Mailbox> chosen = chosen(core.database().jdbi().onDemand(MailboxDao.class));
            if (chosen.isEmpty()) {
                spec.commandLine().getErr().println("No mailbox matches.");
                return 1;
            }
            boolean terminal = ProgressPrinter.onTerminal();
            boolean failed = false;
            for (Mailbox mailbox : chosen) {
                if (!mailbox.enabled() && !force) {
                    out.printf("mailbox %d %s: disabled (use --force)%n", mailbox.id(), mailbox.email());
                    continue;
                }
                ProgressPrinter progress = new ProgressPrinter(out, "mailbox " + mailbox.id() + " " + mailbox.email(),
                        terminal);
                Optional<Poll> poll = core.sync().run(mailbox.id(), progress);
                progress.end();
                if (poll.isEmpty()) {
                    out.printf("mailbox %d %s: another sync is running%n", mailbox.id(), mailbox.email());
                    continue;
                }
                Poll p = poll.get();
                failed |= p.status().equals("failed");
                out.printf("mailbox %d %s: %s found=%d stored=%d skipped=%d quarantined=%d%s%n", mailbox.id(),
                        mailbox.email(), p.status(), p.found(), p.stored(), p.skipped(), p.quarantined(),
                        p.error() == null ? "" : " error=" + p.error());
            }
            return failed ? 1 : 0;
        }
    }

    private List<Mailbox> chosen(MailboxDao mailboxes) {
        if (which.mailboxId != null) {
            return mailboxes.find(which.mailboxId).stream().toList();
        }
        if (which.email != null) {
            return mailboxes.findByEmail(which.email);
        }
        return mailboxes.byPriority();
    }
}
