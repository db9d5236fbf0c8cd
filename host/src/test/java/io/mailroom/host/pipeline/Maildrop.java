package io.mailroom.host.pipeline;

import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.PostAction;
import io.mailroom.api.source.RawContent;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A POP3-like maildrop: one folder, no UIDVALIDITY and no dates; "new" is what the host does not know. */
final class Maildrop implements SourceConnection {
    private final Map<String, String> messages = new LinkedHashMap<>();
    final List<String> handedOver = new ArrayList<>();

    void add(String uidl, String mail) {
        messages.put(uidl, mail);
    }

    @Override
    public List<String> capabilities() {
        return List.of("UIDL");
    }

    @Override
    public List<FolderInfo> folders() {
        return List.of(new FolderInfo("INBOX", Set.of(), messages.size()));
    }

    @Override
    public FolderReader open(String name, SyncCursor cursor, FetchOptions options) {
        Set<String> known = options.known().knownAmong(messages.keySet());
        List<String> fresh = new ArrayList<>(messages.keySet().stream().filter(key -> !known.contains(key)).toList());
        return new FolderReader() {
            @Override
            public SyncCursor serverCursor() {
                return SyncCursor.START;
            }

            @Override
            public long remaining() {
                return fresh.size();
            }

            @Override
            public FolderBatch next(int maxMessages, long maxBytes) {
                List<RawMessage> batch = new ArrayList<>();
                while (!fresh.isEmpty() && batch.size() < maxMessages) {
                    String uidl = fresh.removeFirst();
                    handedOver.add(uidl);
                    batch.add(new RawMessage(uidl, 0, null, Set.of(),
                            RawContent.of(messages.get(uidl).getBytes(StandardCharsets.UTF_8))));
                }
                return new FolderBatch(batch, SyncCursor.START);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void apply(String folder, long validity, List<PostAction> actions) {
    }

    @Override
    public void close() {
    }
}
