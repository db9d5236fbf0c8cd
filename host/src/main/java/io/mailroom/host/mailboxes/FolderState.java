package io.mailroom.host.mailboxes;

import io.mailroom.api.source.SyncCursor;

import java.util.List;

/**
 * A mailbox's folder as last listed on the server, with its sync cursor; {@code rereadPending}
 * while a re-read after a new UIDVALIDITY has not yet drained the folder.
 */
public record FolderState(long mailboxId, String name, List<String> attributes, long messages,
                          boolean deletedOnServer, long uidValidity, long lastUid, long highestModseq,
                          boolean rereadPending) {

    public FolderState {
        attributes = List.copyOf(attributes);
    }

    public SyncCursor cursor() {
        return new SyncCursor(uidValidity, lastUid, highestModseq);
    }
}
