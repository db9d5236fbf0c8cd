package io.mailroom.host.mailboxes;

import io.mailroom.api.source.SourceConnection;

import java.util.List;

/**
 * Re-reads a mailbox's folder list from its server into {@code mailbox_folders}. The one that
 * does it ({@code pipeline/FolderList}) also marks the stored messages of a folder gone from the
 * server, so it stands above this package; the routes here see it through this interface.
 */
@FunctionalInterface
public interface FolderRefresh {

    /** Lists the folders on the server and records them; returns the folders as stored now. */
    List<FolderState> refresh(SourceConnection connection, long mailboxId);
}
