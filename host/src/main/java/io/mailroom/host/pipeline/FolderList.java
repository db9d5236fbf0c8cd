package io.mailroom.host.pipeline;

import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.mailboxes.FolderDao;
import io.mailroom.host.mailboxes.FolderRefresh;
import io.mailroom.host.mailboxes.FolderState;
import io.mailroom.host.messages.MessageDao;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Re-reads the server's folder list into {@code mailbox_folders}. A folder gone from the server
 * is forgotten when nothing was stored from it, and kept, marked {@code deleted_on_server},
 * when it holds synced mail.
 */
public final class FolderList implements FolderRefresh {

    private final Jdbi jdbi;

    public FolderList(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Lists the folders on the server and records them; returns the folders as stored now. */
    @Override
    public List<FolderState> refresh(SourceConnection connection, long mailboxId) {
        Map<String, FolderInfo> onServer = connection.folders().stream()
                .collect(Collectors.toMap(FolderInfo::name, Function.identity(), (a, b) -> a));
        return jdbi.inTransaction(handle -> {
            FolderDao folders = handle.attach(FolderDao.class);
            MessageDao messages = handle.attach(MessageDao.class);
            for (FolderInfo folder : onServer.values()) {
                folders.upsert(mailboxId, folder.name(), folder.attributes().stream().sorted().toArray(String[]::new),
                        folder.messages());
            }
            for (FolderState known : folders.forMailbox(mailboxId)) {
                if (onServer.containsKey(known.name())) {
                    continue;
                }
                if (messages.countInFolder(mailboxId, known.name()) == 0) {
                    folders.delete(mailboxId, known.name());
                } else {
                    folders.markDeletedOnServer(mailboxId, known.name());
                    messages.markFolderDeletedOnServer(mailboxId, known.name());
                }
            }
            return folders.forMailbox(mailboxId);
        });
    }
}
