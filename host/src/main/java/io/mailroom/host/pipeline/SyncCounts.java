package io.mailroom.host.pipeline;

/** What a batch, folder or run did: messages found on the server, stored, skipped as known, quarantined. */
record SyncCounts(int found, int stored, int skipped, int quarantined) {

    static final SyncCounts NONE = new SyncCounts(0, 0, 0, 0);

    SyncCounts plus(SyncCounts other) {
        return new SyncCounts(found + other.found, stored + other.stored, skipped + other.skipped,
                quarantined + other.quarantined);
    }
}
