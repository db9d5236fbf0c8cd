package io.mailroom.plugins.imap;

import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.PostAction;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import jakarta.mail.Folder;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A logged-in IMAP connection (an Angus {@link IMAPStore}); one thread at a time. */
final class ImapConnection implements SourceConnection {

    private final IMAPStore store;
    private final Path spoolDir;
    private final long spoolThreshold;

    ImapConnection(IMAPStore store, Path spoolDir, long spoolThreshold) {
        this.store = store;
        this.spoolDir = spoolDir;
        this.spoolThreshold = spoolThreshold;
    }

    @Override
    public List<String> capabilities() {
        return ImapCall.run("reading capabilities", () -> {
            IMAPFolder any = (IMAPFolder) store.getDefaultFolder().getFolder("INBOX");
            @SuppressWarnings("unchecked")
            Map<String, String> capabilities = (Map<String, String>) any.doCommand(p -> p.getCapabilities());
            return List.copyOf(new TreeSet<>(capabilities.values()));
        });
    }

    @Override
    public List<FolderInfo> folders() {
        return ImapCall.run("listing folders", () -> {
            List<FolderInfo> folders = new ArrayList<>();
            for (Folder folder : store.getDefaultFolder().list("*")) {
                IMAPFolder imap = (IMAPFolder) folder;
                Set<String> attributes = Set.copyOf(Arrays.asList(imap.getAttributes()));
                boolean selectable = (imap.getType() & Folder.HOLDS_MESSAGES) != 0
                        && attributes.stream().noneMatch(a -> a.equalsIgnoreCase("\\Noselect")
                        || a.equalsIgnoreCase("\\NonExistent"));
                folders.add(new FolderInfo(imap.getFullName(), attributes, selectable ? imap.getMessageCount() : -1));
            }
            return folders;
        });
    }

    @Override
    public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
        return ImapCall.run("opening " + folder, () -> {
            FolderOpening opening = FolderOpening.open(store, folder, cursor, options);
            return new ImapFolderReader(folder, opening, options, new ContentSpool(spoolDir, spoolThreshold));
        });
    }

    @Override
    public void apply(String folder, long validity, List<PostAction> actions) {
        ImapCall.run("updating messages in " + folder, () -> {
            new PostActions(store).apply(folder, validity, actions);
            return null;
        });
    }

    @Override
    public void close() {
        try {
            ImapCall.run("logging out", () -> {
                store.close();
                return null;
            });
        } catch (RuntimeException e) {
            // the connection is gone already: nothing to log out from
        }
    }
}
