package io.mailroom.plugins.imap;

import io.mailroom.api.source.ContentSpool;
import io.mailroom.api.source.RawMessage;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fetches messages by UID in bulk: sizes, dates and flags first (to cut a batch by bytes and
 * apply the date filter), then the bodies of a whole batch in one {@code UID FETCH}. Messages
 * above {@code chunkedAbove} come in chunks ({@code BODY.PEEK[]<offset.length>}), so no
 * response holds one whole. Every message goes through the host's {@link ContentSpool}, which
 * keeps it in memory or in a file. Always {@code BODY.PEEK}: reading never sets {@code \Seen}.
 *
 * <p>The size the server announces only picks the first way to fetch; the bytes that arrive
 * decide the rest. The bulk fetch asks each message for at most one byte more than
 * {@code chunkedAbove} ({@code BODY.PEEK[]<0.n>}), so a message that turns out bigger goes on
 * chunk by chunk; and no message is read beyond {@code readLimit} bytes (one more than the
 * host's size limit), so the host sees it is too big without anyone buffering the rest.
 */
final class MessageFetch {

    /** What a message is before its body is read. */
    record Summary(long uid, long size, Instant internalDate, Set<String> flags) {
    }

    static final int CHUNK = 2 << 20;
    /** Messages larger than this (by the bytes read; the RFC822.SIZE only picks the first way) come in chunks. */
    static final long CHUNKED_ABOVE = 8L << 20;

    private final IMAPFolder folder;
    private final ContentSpool spool;
    private final long chunkedAbove;
    private final long readLimit;

    MessageFetch(IMAPFolder folder, ContentSpool spool, long chunkedAbove, long readLimit) {
        this.folder = folder;
        this.spool = spool;
        this.chunkedAbove = chunkedAbove;
        this.readLimit = readLimit;
    }

    /** Summaries of the messages still present among {@code uids}, ascending. */
    List<Summary> summaries(long[] uids) throws MessagingException {
        Map<Long, Summary> summaries = new TreeMap<>();
        for (String set : UidSet.of(uids)) {
            for (FetchResponse fetch : ImapCommands.fetch(folder, set, "UID RFC822.SIZE INTERNALDATE FLAGS")) {
                UID uid = fetch.getItem(UID.class);
                RFC822SIZE size = fetch.getItem(RFC822SIZE.class);
                // unsolicited FETCHes (another client's flag change) may arrive in between
                if (uid != null && size != null && Arrays.binarySearch(uids, uid.uid) >= 0) {
                    summaries.put(uid.uid, new Summary(uid.uid, size.size, internalDate(fetch), flags(fetch)));
                }
            }
        }
        return List.copyOf(summaries.values());
    }

    /** The messages, ascending; one that vanished since its summary is left out. */
    List<RawMessage> messages(List<Summary> summaries) throws MessagingException, IOException {
        List<RawMessage> messages = new ArrayList<>(summaries.size());
        List<Summary> small = new ArrayList<>();
        for (Summary summary : summaries) {
            if (summary.size() > chunkedAbove) {
                RawMessage large = chunked(summary, new byte[0]);
                if (large != null) {
                    messages.add(large);
                }
            } else {
                small.add(summary);
            }
        }
        messages.addAll(inMemory(small));
        messages.sort(Comparator.comparingLong(RawMessage::uid));
        return messages;
    }

    private List<RawMessage> inMemory(List<Summary> summaries) throws MessagingException, IOException {
        if (summaries.isEmpty()) {
            return List.of();
        }
        Map<Long, Summary> byUid = new HashMap<>();
        summaries.forEach(s -> byUid.put(s.uid(), s));
        long[] uids = summaries.stream().mapToLong(Summary::uid).toArray();
        // one byte more than one response should hold (or than the host takes): more means chunks (or too big)
        long first = Math.min(chunkedAbove + 1, readLimit);
        List<RawMessage> messages = new ArrayList<>(summaries.size());
        List<Bulk> overflowing = new ArrayList<>();
        for (String set : UidSet.of(uids)) {
            for (FetchResponse fetch : ImapCommands.fetch(folder, set,
                    "UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[]<0." + first + ">")) {
                UID uid = fetch.getItem(UID.class);
                BODY body = fetch.getItem(BODY.class);
                Summary summary = uid == null ? null : byUid.remove(uid.uid);
                if (summary != null && body != null) {
                    Instant date = internalDate(fetch);
                    Summary fetched = new Summary(uid.uid, summary.size(), date == null ? summary.internalDate() : date,
                            fetch.getItem(FLAGS.class) == null ? summary.flags() : flags(fetch));
                    byte[] bytes = bytes(body.getByteArray());
                    if (bytes.length > first) {
                        // a server that ignored the partial fetch: keep no more than asked for
                        bytes = Arrays.copyOf(bytes, (int) first);
                    }
                    if (bytes.length >= first && first < readLimit) {
                        overflowing.add(new Bulk(fetched, bytes));
                    } else {
                        try (ContentSpool.Writer out = spool.writer(bytes.length, readLimit)) {
                            out.write(bytes);
                            messages.add(new RawMessage(Long.toString(uid.uid), uid.uid, fetched.internalDate(),
                                    fetched.flags(), out.content()));
                        }
                    }
                }
            }
        }
        for (Bulk bulk : overflowing) {
            RawMessage large = chunked(bulk.summary(), bulk.start());
            if (large != null) {
                messages.add(large);
            }
        }
        return messages;
    }

    /** The start of a message that turned out larger than {@code chunkedAbove}. */
    private record Bulk(Summary summary, byte[] start) {
    }

    /**
     * A large message, chunk by chunk into the spool after the {@code start} already read, up
     * to {@code readLimit} bytes; null when it vanished meanwhile.
     */
    private RawMessage chunked(Summary summary, byte[] start) throws MessagingException, IOException {
        try (ContentSpool.Writer out = spool.writer(summary.size(), readLimit)) {
            out.write(start);
            long offset = start.length;
            while (offset < readLimit) {
                long length = Math.min(CHUNK, readLimit - offset);
                BODY chunk = null;
                for (FetchResponse fetch : ImapCommands.fetch(folder, Long.toString(summary.uid()),
                        "UID BODY.PEEK[]<" + offset + "." + length + ">")) {
                    UID uid = fetch.getItem(UID.class);
                    if (uid != null && uid.uid == summary.uid() && fetch.getItem(BODY.class) != null) {
                        chunk = fetch.getItem(BODY.class);
                    }
                }
                if (chunk == null) {
                    if (offset == 0) {
                        return null; // closing the writer discards it
                    }
                    break;
                }
                ByteArray bytes = chunk.getByteArray();
                int count = bytes == null ? 0 : (int) Math.min(bytes.getCount(), length);
                if (count > 0) {
                    out.write(bytes.getBytes(), bytes.getStart(), count);
                }
                offset += count;
                if (count < length) {
                    break;
                }
            }
            return new RawMessage(Long.toString(summary.uid()), summary.uid(), summary.internalDate(), summary.flags(),
                    out.content());
        }
    }

    private static byte[] bytes(ByteArray array) {
        return array == null ? new byte[0] : array.getNewBytes();
    }

    private static Instant internalDate(FetchResponse fetch) {
        INTERNALDATE date = fetch.getItem(INTERNALDATE.class);
        return date == null || date.getDate() == null ? null : date.getDate().toInstant();
    }

    private static Set<String> flags(FetchResponse fetch) {
        FLAGS flags = fetch.getItem(FLAGS.class);
        return flags == null ? Set.of() : FlagNames.of(flags);
    }
}
