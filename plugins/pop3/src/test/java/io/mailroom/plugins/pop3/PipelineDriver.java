package io.mailroom.plugins.pop3;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.MailSource;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives a {@link MailSource} the way the host's pipeline does (FolderSync): connect, open INBOX
 * with {@code known} backed by what is stored, commit each batch, ask for the next until one is
 * empty, close. A test can make a commit fail, or the process crash right after a commit. Like
 * the host, it keeps each stored message's date (which the plugin never reads itself) and
 * tells it through {@code known}; unlike the host, it applies no first-sync window.
 */
final class PipelineDriver {

    /** What happens at a batch. */
    enum Step {
        /** Commit and go on. */
        COMMIT,
        /** The commit fails: nothing is stored, the host closes the reader without asking again. */
        FAIL_COMMIT,
        /** Commit, then the process dies: the connection drops without QUIT. */
        CRASH_AFTER_COMMIT
    }

    /** Decides the step for the batch at {@code index} (0 for the first) of a run. */
    @FunctionalInterface
    interface Script {
        Step at(int index);
    }

    /** What a run did: the keys of each batch it received. */
    record Run(List<List<String>> batches) {
        int messages() {
            return batches.stream().mapToInt(List::size).sum();
        }
    }

    private final MailSource source;
    private final ExtensionContext context;
    /** Stored messages, by UIDL, in commit order; concurrent only so a lambda can read it. */
    private final Map<String, byte[]> stored = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    /** The Date of each stored message, as the host's parse would give it. */
    private final Map<String, Instant> sent = new ConcurrentHashMap<>();
    private int maxMessages = 1000;
    private long maxBytes = 32L * 1024 * 1024;
    private Instant notBefore;
    private long maxMessageSize = FetchOptions.UNLIMITED;

    PipelineDriver(MailSource source, ExtensionContext context) {
        this.source = source;
        this.context = context;
    }

    PipelineDriver batches(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        return this;
    }

    PipelineDriver maxMessageSize(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
        return this;
    }

    PipelineDriver notBefore(Instant notBefore) {
        this.notBefore = notBefore;
        return this;
    }

    Run sync(MailboxAccount account) {
        return sync(account, index -> Step.COMMIT, () -> { });
    }

    /**
     * One run. {@code crash} cuts the connection (a proxy) when the script says
     * {@link Step#CRASH_AFTER_COMMIT}; the driver then closes what it holds, as a dying process's
     * sockets would be closed, and stops.
     */
    Run sync(MailboxAccount account, Script script, Runnable crash) {
        List<List<String>> batches = new ArrayList<>();
        try (SourceConnection connection = source.connect(account, context);
             FolderReader reader = connection.open("INBOX", SyncCursor.START,
                     new FetchOptions(notBefore, false, known(), maxMessageSize))) {
            FolderBatch batch = reader.next(maxMessages, maxBytes);
            while (!batch.isEmpty()) {
                batches.add(batch.messages().stream().map(RawMessage::serverKey).toList());
                if (!batch.cursorAfter().equals(SyncCursor.START)) {
                    throw new AssertionError("POP3 cursor must stay (0, 0, 0), was " + batch.cursorAfter());
                }
                // as the host does: the next batch is read while this one is written, and a read that
                // fails surfaces when the host takes that batch, after this one is committed
                FolderBatch ahead = null;
                RuntimeException aheadFailed = null;
                if (reader.readsAhead()) {
                    try {
                        ahead = reader.next(maxMessages, maxBytes);
                    } catch (RuntimeException e) {
                        aheadFailed = e;
                    }
                }
                Step step = script.at(batches.size() - 1);
                if (step == Step.FAIL_COMMIT) {
                    release(batch);
                    release(ahead);
                    break;
                }
                commit(batch);
                reader.committed(batch);
                release(batch);
                if (step == Step.CRASH_AFTER_COMMIT) {
                    release(ahead);
                    crash.run();
                    break;
                }
                if (aheadFailed != null) {
                    throw aheadFailed;
                }
                batch = ahead != null ? ahead : reader.next(maxMessages, maxBytes);
            }
        }
        return new Run(batches);
    }

    private FetchOptions.KnownMessages known() {
        return new FetchOptions.KnownMessages() {
            @Override
            public boolean contains(String serverKey) {
                return stored.containsKey(serverKey);
            }

            @Override
            public Map<String, Instant> sentAmong(Collection<String> serverKeys) {
                Map<String, Instant> dates = new LinkedHashMap<>();
                serverKeys.stream().filter(sent::containsKey).forEach(key -> dates.put(key, sent.get(key)));
                return dates;
            }
        };
    }

    private static void release(FolderBatch batch) {
        if (batch != null) {
            batch.messages().forEach(message -> message.content().release());
        }
    }

    private void commit(FolderBatch batch) {
        for (RawMessage message : batch.messages()) {
            deliveries.merge(message.serverKey(), 1, Integer::sum);
            try (InputStream in = message.content().open()) {
                byte[] bytes = in.readAllBytes();
                stored.putIfAbsent(message.serverKey(), bytes);
                Instant date = TestMessages.dateOf(bytes);
                if (date != null) {
                    sent.putIfAbsent(message.serverKey(), date);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stored messages by UIDL, in commit order. */
    Map<String, byte[]> stored() {
        synchronized (stored) {
            return new LinkedHashMap<>(stored);
        }
    }

    /** UIDLs that reached a commit more than once: must stay empty. */
    List<String> committedTwice() {
        return deliveries.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }
}
