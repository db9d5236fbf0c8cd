package io.mailroom.host.filters;

import io.mailroom.host.http.Page;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.messages.BlobDao;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedMessage;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dry run of a filter over stored messages, for the filter preview and the rule preview: it
 * reads one page of messages in id order, parses each one's raw bytes again (so it sees what a
 * sync sees) and keeps those the filter matches. It writes nothing.
 */
public final class FilterPreview {

    /** The most messages one call scans. */
    public static final int MAX_SCAN = 200;

    private final Jdbi jdbi;
    private final MessageParser parser;

    public FilterPreview(Jdbi jdbi, MessageParser parser) {
        this.jdbi = jdbi;
        this.parser = parser;
    }

    /**
     * One page of a scan: the matching messages, how many were read, and the cursor that goes on
     * (null after the last message).
     */
    public record Scan(List<PreviewCandidate> matches, int scanned, String nextCursor) {
    }

    /** Scans one mailbox's messages. */
    public Scan mailbox(long mailboxId, MessageFilter filter, PageRequest page) {
        return scan(jdbi.onDemand(PreviewDao.class).page(mailboxId, page.afterId(), page.fetchSize()), filter, page);
    }

    /** Scans the messages of every mailbox a user owns, as one list in id order. */
    public Scan ownedBy(long ownerUserId, MessageFilter filter, PageRequest page) {
        return scan(jdbi.onDemand(PreviewDao.class).pageOwnedBy(ownerUserId, page.afterId(), page.fetchSize()), filter, page);
    }

    private Scan scan(List<PreviewCandidate> rows, MessageFilter filter, PageRequest page) {
        Page<PreviewCandidate> scanned = page.page(rows, PreviewCandidate::id, 0);
        KnownSenders known = jdbi.withHandle(handle -> KnownSenders.load(handle,
                scanned.items().stream().map(PreviewCandidate::fromEmail).filter(Objects::nonNull).toList()));
        BlobDao blobs = jdbi.onDemand(BlobDao.class);
        List<PreviewCandidate> matches = new ArrayList<>();
        for (PreviewCandidate row : scanned.items()) {
            byte[] raw = blobs.content(row.contentHash()).orElse(null);
            if (raw == null) {
                continue;
            }
            try (ParsedMessage parsed = parser.parse(new ByteArrayInputStream(raw))) {
                MessageFacts facts = new MessageFacts(parsed, row.folder(), row.classification(), row.direction(),
                        row.tags(), row.size(), row.receivedAt(), known);
                if (filter.test(facts)) {
                    matches.add(row);
                }
            } catch (IOException | RuntimeException e) {
                // a message that cannot be read again is not a match; the preview goes on
            }
        }
        return new Scan(matches, scanned.items().size(), scanned.nextCursor());
    }

    /** A matching message as a preview shows it. */
    public static Map<String, Object> view(PreviewCandidate row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", row.id());
        view.put("mailbox_id", row.mailboxId());
        view.put("folder", row.folder());
        view.put("from", row.fromEmail());
        view.put("subject", row.subject());
        view.put("date", row.sentAt());
        return view;
    }
}
