package io.mailroom.host.keys;

import io.mailroom.host.secrets.SealedSecretException;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Re-seals every stored secret under the key that seals now (the first master key), so that an
 * old key can be dropped from the configuration. Rows are read in batches in id order, each batch
 * in a transaction of its own; a row is written only when one of its values was under another
 * key, and only if it still holds what was read (a running host may have changed it meanwhile,
 * sealing under the current key itself). So it can run while Mailroom serves, can be stopped at
 * any point, and a second run changes nothing.
 *
 * <p>A value that does not open (sealed with a key that is not configured, or altered) is left as
 * it is and reported by row, never with its contents.
 */
public final class KeyRotation {

    static final int BATCH = 500;

    private final Jdbi jdbi;
    private final SecretSealer sealer;

    public KeyRotation(Jdbi jdbi, SecretSealer sealer) {
        this.jdbi = jdbi;
        this.sealer = sealer;
    }

    /** What a run did, column by column. */
    public record Report(String currentKeyId, List<ColumnReport> columns) {

        public long failed() {
            return columns.stream().mapToLong(column -> column.problems().size()).sum();
        }
    }

    /**
     * One column: sealed values resealed, values already under the current key, rows changed by
     * someone else meanwhile (left as they are now), and one line per value that did not open.
     */
    public record ColumnReport(String column, long resealed, long current, long changedMeanwhile, List<String> problems) {
    }

    public Report resealAll() {
        List<ColumnReport> reports = new ArrayList<>();
        for (SealedColumn column : SealedColumns.ALL) {
            reports.add(reseal(column));
        }
        return new Report(sealer.currentKeyId(), reports);
    }

    private ColumnReport reseal(SealedColumn column) {
        Counts counts = new Counts();
        String after = column.firstAfter();
        while (true) {
            String from = after;
            List<SealedColumn.SealedRow> rows = jdbi.inTransaction(handle -> resealBatch(handle, column, from, counts));
            if (rows.size() < BATCH) {
                break;
            }
            after = rows.getLast().id();
        }
        return new ColumnReport(column.name(), counts.resealed, counts.current, counts.changedMeanwhile,
                List.copyOf(counts.problems));
    }

    private List<SealedColumn.SealedRow> resealBatch(Handle handle, SealedColumn column, String after, Counts counts) {
        List<SealedColumn.SealedRow> rows = handle.createQuery(column.selectBatch())
                .bind("after", after).bind("limit", BATCH)
                .map((result, context) -> new SealedColumn.SealedRow(result.getString("id"), result.getString("extra"),
                        result.getString("value")))
                .list();
        for (SealedColumn.SealedRow row : rows) {
            Counts inRow = new Counts();
            String resealed;
            try {
                resealed = column.layout().each(row.value(), column.context().apply(row), counting(inRow));
            } catch (SealedSecretException | IllegalStateException e) {
                counts.problems.add(column.name() + " row " + row.id() + ": " + e.getMessage());
                continue;
            }
            if (!resealed.equals(row.value()) && handle.createUpdate(column.update())
                    .bind("resealed", resealed).bind("id", row.id()).bind("read", row.value()).execute() == 0) {
                counts.changedMeanwhile++;
                continue;
            }
            counts.resealed += inRow.resealed;
            counts.current += inRow.current;
        }
        return rows;
    }

    /** Reseals one value and counts it; throws (through the layout) when it does not open. */
    private BiFunction<String, String, String> counting(Counts counts) {
        return (sealed, context) -> {
            if (sealer.sealedWithCurrentKey(sealed)) {
                counts.current++;
                return sealed;
            }
            String resealed = sealer.reseal(sealed, context);
            counts.resealed++;
            return resealed;
        };
    }

    private static final class Counts {
        long resealed;
        long current;
        long changedMeanwhile;
        final List<String> problems = new ArrayList<>();
    }
}
