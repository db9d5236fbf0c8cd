package io.mailroom.host.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.schedule.NextSyncs;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.MailboxDao;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code mailroom monitor}: each mailbox's health as the database holds it, for scripts and
 * operators; the next sync comes from the scheduler's trigger in the same database.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Prints each mailbox's status, last success, failures, next sync and last error.")
final class MonitorCommand implements Callable<Integer> {

    enum Format { text, json }

    private static final Set<String> ERRORS = Set.of("error", "auth_failed");

    @Option(names = "--mailbox", paramLabel = "ID", description = "Only the mailbox with this id.")
    Long mailboxId;

    @Option(names = "--errors", description = "Only mailboxes whose status is error or auth_failed.")
    boolean errors;

    @Option(names = "--format", defaultValue = "text", description = "text or json (an array).")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MailroomConfig config = MailroomConfig.load();
        try (Database database = Database.open(config)) {
            MailboxDao dao = database.jdbi().onDemand(MailboxDao.class);
            List<Mailbox> chosen = (mailboxId != null ? dao.find(mailboxId).stream().toList() : dao.all()).stream()
                    .filter(mailbox -> !errors || ERRORS.contains(mailbox.status())).toList();
            if (mailboxId != null && chosen.isEmpty() && !errors) {
                spec.commandLine().getErr().println("No mailbox with id " + mailboxId);
                return 1;
            }
            NextSyncs next = new NextSyncs(database.jdbi(), config.pollFrequency());
            List<Map<String, Object>> rows = chosen.stream()
                    .map(mailbox -> row(mailbox, next.of(mailbox).orElse(null))).toList();
            print(spec.commandLine().getOut(), rows);
            return 0;
        }
    }

    private static Map<String, Object> row(Mailbox mailbox, Instant nextSyncAt) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", mailbox.id());
        row.put("email", mailbox.email());
        row.put("status", mailbox.status());
        row.put("last_success_at", mailbox.lastSuccessAt());
        row.put("consecutive_failures", mailbox.consecutiveFailures());
        row.put("next_sync_at", nextSyncAt);
        row.put("last_error", mailbox.lastError());
        return row;
    }

    private void print(PrintWriter out, List<Map<String, Object>> rows) throws Exception {
        if (format == Format.json) {
            out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(rows));
            return;
        }
        out.printf("%-6s %-32s %-11s %-24s %-8s %-24s %s%n", "ID", "EMAIL", "STATUS", "LAST SUCCESS", "FAILURES",
                "NEXT SYNC", "LAST ERROR");
        for (Map<String, Object> row : rows) {
            out.printf("%-6s %-32s %-11s %-24s %-8s %-24s %s%n", row.get("id"), row.get("email"), row.get("status"),
                    dash(row.get("last_success_at")), row.get("consecutive_failures"), dash(row.get("next_sync_at")),
                    dash(row.get("last_error")));
        }
    }

    private static String dash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
