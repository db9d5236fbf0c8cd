package io.mailroom.host.retention;

import java.time.Instant;

/**
 * What one housekeeping run deleted (or, from {@link Housekeeping#plan}, is about to delete).
 * A cutoff is null when its kind is kept forever (its setting is 0).
 *
 * @param batches the transactions the deletions took
 */
public record HousekeepingReport(Instant messagesBefore, Instant logsBefore, long messages, long quarantined,
                                 long blobs, long blobBytes, long threads, long polls, long skipped, int batches) {

    static final HousekeepingReport NOTHING = new HousekeepingReport(null, null, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The counts as the log lines read them. */
    String counts() {
        return messages + " message(s), " + quarantined + " quarantined message(s), " + blobs + " blob(s) ("
                + blobBytes + " bytes), " + polls + " poll log(s), " + skipped + " skipped record(s)";
    }
}
