package io.mailroom.plugins.imap;

import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderChanges;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SyncCursor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one folder, opened read-only, in batches of ascending UIDs. The UIDs to read were
 * chosen when the folder opened ({@code UID SEARCH} up to the highest UID then), so mail that
 * arrives meanwhile waits for the next sync, and the cursor can move past messages the filters
 * skip: {@code cursorAfter} says "everything up to here was looked at".
 *
 * <p>Messages go to the host's spool ({@link io.mailroom.api.ExtensionContext#spool()}), which
 * owns their content: it outlives {@link #next}, so the host may read ahead. Reading changes
 * nothing on the server, so a batch read ahead and never committed is simply read again.
 */
final class ImapFolderReader implements FolderReader {

    private final String name;
    private final FolderOpening opening;
    private final FetchOptions options;
    private final MessageFetch fetch;
    private final long keptModSeq;
    private long examined;
    private int position;
    /** A message still on the server came without its body: this sync reads no further. */
    private boolean stalled;
    private FolderChanges changes;

    ImapFolderReader(String name, FolderOpening opening, FetchOptions options, MessageFetch fetch) {
        this.name = name;
        this.opening = opening;
        this.options = options;
        this.fetch = fetch;
        SyncCursor cursor = opening.cursor();
        boolean sameUidSpace = cursor.validity() == opening.server().validity();
        // a MODSEQ of another UID space means nothing here: the host stores the server's anew
        this.keptModSeq = sameUidSpace ? cursor.highestModSeq() : 0;
        this.examined = sameUidSpace ? cursor.lastUid() : 0;
    }

    @Override
    public SyncCursor serverCursor() {
        return opening.server();
    }

    /** The content is the host's spool's, and reading marks nothing: the host may read ahead. */
    @Override
    public boolean readsAhead() {
        return true;
    }

    @Override
    public FolderBatch next(int maxMessages, long maxBytes) {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, was " + maxMessages);
        }
        return ImapCall.run("reading " + name, () -> {
            long[] candidates = opening.candidates();
            while (!stalled && position < candidates.length) {
                int end = Math.min(candidates.length, position + maxMessages);
                List<MessageFetch.Summary> wanted = new ArrayList<>();
                long bytes = 0;
                int next = end;
                for (MessageFetch.Summary summary : fetch.summaries(Arrays.copyOfRange(candidates, position, end))) {
                    if (!wanted.isEmpty() && bytes + summary.size() > maxBytes) {
                        // this one starts the next batch; everything before it was looked at
                        next = Arrays.binarySearch(candidates, summary.uid());
                        break;
                    }
                    if (received(summary)) {
                        wanted.add(summary);
                        bytes += summary.size();
                    }
                }
                List<RawMessage> messages = fetch.messages(wanted);
                long withoutBody = firstWithoutBody(wanted, messages);
                if (withoutBody > 0) {
                    // The cursor stops before it, so the next sync asks for it again; what came before is kept.
                    stalled = true;
                    messages = messages.stream().filter(message -> message.uid() < withoutBody).toList();
                    examined = Math.max(examined, withoutBody - 1);
                    return new FolderBatch(messages, cursorAfter());
                }
                position = next;
                examined = Math.max(examined, position < candidates.length
                        ? candidates[position] - 1 : opening.server().lastUid());
                if (!messages.isEmpty()) {
                    return new FolderBatch(messages, cursorAfter());
                }
            }
            if (!stalled) {
                examined = Math.max(examined, opening.server().lastUid());
            }
            return new FolderBatch(List.of(), cursorAfter());
        });
    }

    /**
     * The lowest UID among {@code wanted} that the server answered without a body although the
     * message is still there, or 0. A message expunged meanwhile is simply gone.
     */
    private long firstWithoutBody(List<MessageFetch.Summary> wanted, List<RawMessage> messages)
            throws jakarta.mail.MessagingException {
        Set<Long> read = messages.stream().map(RawMessage::uid).collect(Collectors.toSet());
        long[] missing = wanted.stream().mapToLong(MessageFetch.Summary::uid).filter(uid -> !read.contains(uid))
                .sorted().toArray();
        if (missing.length == 0) {
            return 0;
        }
        long[] present = ImapCommands.present(opening.folder(), missing);
        return present.length == 0 ? 0 : present[0];
    }

    private boolean received(MessageFetch.Summary summary) {
        Instant notBefore = options.notBefore();
        return notBefore == null || summary.internalDate() == null || !summary.internalDate().isBefore(notBefore);
    }

    private SyncCursor cursorAfter() {
        return new SyncCursor(opening.server().validity(), examined, keptModSeq);
    }

    /** The UIDs the search found when the folder opened that no batch has looked at yet. */
    @Override
    public long remaining() {
        return stalled ? 0 : opening.candidates().length - position;
    }

    @Override
    public FolderChanges changes() {
        if (changes == null) {
            changes = ImapCall.run("reading changes in " + name, () -> ChangesSince.read(
                    opening.changes(), opening.folder(), opening.cursor(), opening.resyncEvents()));
        }
        return changes;
    }

    @Override
    public void close() {
        ImapCall.run("closing " + name, () -> {
            FolderOpening.closeQuietly(opening.folder());
            return null;
        });
    }
}
