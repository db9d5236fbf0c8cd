package io.mailroom.host.cli;

import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.MailroomCore;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.network.ShownError;
import io.mailroom.host.outbound.SmtpCheck;
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
 * {@code mailroom test-connection}: connects to a mailbox's source server (or with
 * {@code --smtp} its SMTP server), logs in, prints what the server announces, and with
 * {@code --send-test-email} sends a test mail at once. Exits 1 with the server's answer when
 * anything fails.
 */
@Command(name = "test-connection", mixinStandardHelpOptions = true,
        description = "Connects and logs in to a mailbox's server; exits 1 with the server's answer on failure.")
final class TestConnectionCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    Which which;

    @Option(names = "--smtp", description = "Test the mailbox's SMTP server instead of its source.")
    boolean smtp;

    @Option(names = "--send-test-email", paramLabel = "TO", description = "With --smtp: also send a test mail to TO.")
    String sendTo;

    @Spec
    CommandSpec spec;

    static final class Which {
        @Option(names = "--mailbox", paramLabel = "ID", description = "The mailbox with this id.")
        Long mailboxId;

        @Option(names = "--email", paramLabel = "ADDR", description = "The mailboxes with this address.")
        String email;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sendTo != null && !smtp) {
            err.println("--send-test-email needs --smtp.");
            return 2;
        }
        try (MailroomCore core = MailroomCore.open(MailroomConfig.load())) {
            MailboxDao dao = core.database().jdbi().onDemand(MailboxDao.class);
            List<Mailbox> chosen = which.mailboxId != null ? dao.find(which.mailboxId).stream().toList()
                    : dao.findByEmail(which.email);
            if (chosen.isEmpty()) {
                err.println("No mailbox matches.");
                return 1;
            }
            boolean failed = false;
            for (Mailbox mailbox : chosen) {
                failed |= smtp ? !smtp(core, mailbox, out) : !source(core, mailbox, out);
            }
            return failed ? 1 : 0;
        }
    }

    private boolean smtp(MailroomCore core, Mailbox mailbox, PrintWriter out) {
        SmtpCheck.Result result = core.outbound().check().check(mailbox, Optional.ofNullable(sendTo));
        String name = "mailbox " + mailbox.id() + " " + mailbox.email() + " smtp";
        if (!result.ok()) {
            out.printf("%s %s: failed: %s%n", name, result.server() == null ? "" : result.server(), result.error());
            return false;
        }
        out.printf("%s %s: ok%n  capabilities: %s%n", name, result.server(), String.join(", ", result.capabilities()));
        if (result.sent() != null) {
            out.printf("  test mail to %s: %s%n", sendTo, result.sent().strip());
        }
        return true;
    }

    private boolean source(MailroomCore core, Mailbox mailbox, PrintWriter out) {
        String name = "mailbox " + mailbox.id() + " " + mailbox.email() + " " + mailbox.source();
        try (SourceConnection connection = core.connector().connect(mailbox)) {
            out.printf("%s: ok%n  capabilities: %s%n  folders: %s%n", name, String.join(", ", connection.capabilities()),
                    String.join(", ", connection.folders().stream().map(FolderInfo::name).toList()));
            return true;
        } catch (RuntimeException e) {
            out.printf("%s: failed: %s%n", name, ShownError.of(e));
            return false;
        }
    }
}
