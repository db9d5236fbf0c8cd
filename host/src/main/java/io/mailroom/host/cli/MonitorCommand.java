package io.mailroom.host.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.schedule.NextSyncs;
import io.mailroom.host.store.Database;
import io.mailroom.host.mailboxes.MailboxDao;
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
        List<String> headers = List.of("ID", "EMAIL", "STATUS", "LAST SUCCESS", "FAILURES", "NEXT SYNC", "LAST ERROR");
        List<List<String>> cells = rows.stream().map(row -> List.of(dash(row.get("id")), dash(row.get("email")),
                dash(row.get("status")), dash(row.get("last_success_at")), dash(row.get("consecutive_failures")),
                dash(row.get("next_sync_at")), dash(row.get("last_error")))).toList();
        // Each column as wide as its widest cell, so the columns line up whatever the data.
        int[] widths = new int[headers.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = headers.get(column).length();
            for (List<String> row : cells) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        printRow(out, headers, widths);
        cells.forEach(row -> printRow(out, row, widths));
    }

    /** One line; the last column is not padded (no trailing blanks). */
    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            String cell = cells.get(column);
            line.append(cell);
            if (column < cells.size() - 1) {
                line.append(" ".repeat(widths[column] - cell.length() + 2));
            }
        }
        out.println(line);
    }

    /** A cell: "-" for nothing, and on one line (an error text may hold line breaks). */
    private static String dash(Object value) {
        if (value == null) {
            return "-";
        }
        StringBuilder cell = new StringBuilder();
        value.toString().codePoints().forEach(c -> cell.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return cell.toString();
    }
}
