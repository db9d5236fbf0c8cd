package io.mailroom.plugins.imap;

import io.mailroom.api.source.RawContent;
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
import java.io.OutputStream;
import java.nio.file.Path;
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
 * above the spool threshold come in chunks ({@code BODY.PEEK[]<offset.length>}) straight into
 * a file. Always {@code BODY.PEEK}: reading never sets {@code \Seen}.
 */
final class MessageFetch {

    /** What a message is before its body is read. */
    record Summary(long uid, long size, Instant internalDate, Set<String> flags) {
    }

    static final int CHUNK = 2 << 20;

    private final IMAPFolder folder;
    private final ContentSpool spool;

    MessageFetch(IMAPFolder folder, ContentSpool spool) {
        this.folder = folder;
        this.spool = spool;
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
            if (spool.belongsOnDisk(summary.size())) {
                RawMessage large = spooled(summary);
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

    private List<RawMessage> inMemory(List<Summary> summaries) throws MessagingException {
        if (summaries.isEmpty()) {
            return List.of();
        }
        Map<Long, Summary> byUid = new HashMap<>();
        summaries.forEach(s -> byUid.put(s.uid(), s));
        long[] uids = summaries.stream().mapToLong(Summary::uid).toArray();
        List<RawMessage> messages = new ArrayList<>(summaries.size());
        for (String set : UidSet.of(uids)) {
            for (FetchResponse fetch : ImapCommands.fetch(folder, set,
                    "UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[]")) {
                UID uid = fetch.getItem(UID.class);
                BODY body = fetch.getItem(BODY.class);
                Summary summary = uid == null ? null : byUid.remove(uid.uid);
                if (summary != null && body != null) {
                    Instant date = internalDate(fetch);
                    messages.add(new RawMessage(Long.toString(uid.uid), uid.uid, date == null ? summary.internalDate() : date,
                            fetch.getItem(FLAGS.class) == null ? summary.flags() : flags(fetch),
                            ContentSpool.inMemory(bytes(body.getByteArray()))));
                }
            }
        }
        return messages;
    }

    /** A large message, chunk by chunk into a spool file; null when it vanished meanwhile. */
    private RawMessage spooled(Summary summary) throws MessagingException, IOException {
        Path file = spool.newFile();
        try (OutputStream out = spool.write(file)) {
            long offset = 0;
            while (true) {
                BODY chunk = null;
                for (FetchResponse fetch : ImapCommands.fetch(folder, Long.toString(summary.uid()),
                        "UID BODY.PEEK[]<" + offset + "." + CHUNK + ">")) {
                    UID uid = fetch.getItem(UID.class);
                    if (uid != null && uid.uid == summary.uid() && fetch.getItem(BODY.class) != null) {
                        chunk = fetch.getItem(BODY.class);
                    }
                }
                if (chunk == null) {
                    if (offset == 0) {
                        out.close();
                        spool.discard(file);
                        return null;
                    }
                    break;
                }
                ByteArray bytes = chunk.getByteArray();
                int count = bytes == null ? 0 : bytes.getCount();
                if (count > 0) {
                    out.write(bytes.getBytes(), bytes.getStart(), count);
                }
                offset += count;
                if (count < CHUNK) {
                    break;
                }
            }
        }
        RawContent content = spool.onDisk(file);
        return new RawMessage(Long.toString(summary.uid()), summary.uid(), summary.internalDate(), summary.flags(), content);
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
