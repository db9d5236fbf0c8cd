package io.mailroom.host.pipeline;

import io.mailroom.host.messages.ThreadDao;
import io.mailroom.host.messages.ThreadDao.Added;
import io.mailroom.host.messages.ThreadDao.Candidate;
import io.mailroom.host.messages.ThreadDao.Linked;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Places a batch's messages in threads by the rules of {@link AssignThread}, in the order they
 * came, but with two look-ups for the whole batch instead of two or three per message: links
 * among the batch's own messages are resolved in memory, the stored messages the batch links to
 * come in one query, and the threads its subjects may join in a second. Each thread the batch
 * touches is then written once: the new ones in one insert, the others in one update.
 */
public final class ThreadBatch {

    /** A message to place; a {@code copy} (its bytes are stored at another place) joins that place's thread. */
    record Entry(AssignThread.Threading threading, String contentHash, boolean copy) {
    }

    /** The thread ids of the entries, in order; the threads are written in the caller's transaction. */
    long[] assign(Handle handle, long mailboxId, List<Entry> entries) {
        ThreadDao dao = handle.attach(ThreadDao.class);
        Set<String> referenced = new HashSet<>();
        Set<String> messageIds = new HashSet<>();
        Set<String> copies = new HashSet<>();
        for (Entry entry : entries) {
            referenced.addAll(references(entry.threading()));
            if (entry.threading().messageId() != null) {
                messageIds.add(entry.threading().messageId());
            }
            if (entry.copy()) {
                copies.add(entry.contentHash());
            }
        }
        Stored stored = new Stored(dao.linked(mailboxId, referenced.toArray(String[]::new),
                messageIds.toArray(String[]::new), copies.toArray(String[]::new)), referenced, messageIds);
        Map<Long, Working> threads = new HashMap<>();
        Map<String, List<Working>> bySubject = new HashMap<>();
        loadCandidates(dao, mailboxId, entries, stored, threads, bySubject);

        Batch batch = new Batch();
        List<Working> placed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            AssignThread.Threading message = entry.threading();
            Working thread = entry.copy() ? stored.content(entry.contentHash(), threads) : null;
            if (thread == null && entry.copy()) {
                thread = batch.content.get(entry.contentHash());
            }
            if (thread == null) {
                thread = find(message, stored, batch, threads, bySubject);
            }
            if (thread == null) {
                thread = new Working(0, message.subject(), message.subjectKey(), null, Set.of());
                bySubject.computeIfAbsent(thread.subjectKey, key -> new ArrayList<>()).add(thread);
            }
            thread.add(message);
            placed.add(thread);
            batch.remember(i, entry, thread);
        }
        return write(dao, mailboxId, placed);
    }

    private static Working find(AssignThread.Threading message, Stored stored, Batch batch, Map<Long, Working> threads,
                                Map<String, List<Working>> bySubject) {
        Set<String> refs = references(message);
        // stored rows are older than the batch's, so they come first, as ORDER BY id would have them
        Working thread = stored.referenced(refs, threads);
        if (thread == null) {
            thread = batch.referenced(refs);
        }
        if (thread == null && message.messageId() != null) {
            thread = stored.referrer(message.messageId(), threads);
            if (thread == null) {
                thread = batch.referrer(message.messageId());
            }
        }
        if (thread == null && !message.subjectKey().isEmpty() && !message.participants().isEmpty()) {
            thread = bySubject(message, bySubject.getOrDefault(message.subjectKey(), List.of()));
        }
        return thread;
    }

    /** The thread with the latest message that has this subject, a shared participant, and a message in the window. */
    private static Working bySubject(AssignThread.Threading message, List<Working> candidates) {
        Instant since = message.at().minus(AssignThread.SUBJECT_WINDOW);
        Working best = null;
        for (Working candidate : candidates) {
            if (candidate.lastAt == null || candidate.lastAt.isBefore(since)
                    || candidate.participants.stream().noneMatch(message.participants()::contains)) {
                continue;
            }
            if (best == null || candidate.lastAt.isAfter(best.lastAt)) {
                best = candidate;
            }
        }
        return best;
    }

    private static void loadCandidates(ThreadDao dao, long mailboxId, List<Entry> entries, Stored stored,
                                       Map<Long, Working> threads, Map<String, List<Working>> bySubject) {
        Set<String> keys = new HashSet<>();
        Instant earliest = null;
        for (Entry entry : entries) {
            AssignThread.Threading message = entry.threading();
            if (!message.subjectKey().isEmpty() && !message.participants().isEmpty()) {
                keys.add(message.subjectKey());
                earliest = earliest == null || message.at().isBefore(earliest) ? message.at() : earliest;
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        // A linked thread may join the window through this batch, so it is a candidate whatever its date.
        String[] linkedThreads = stored.threadIds().stream().map(String::valueOf).toArray(String[]::new);
        for (Candidate candidate : dao.bySubjects(mailboxId, keys.toArray(String[]::new),
                earliest.minus(AssignThread.SUBJECT_WINDOW), linkedThreads)) {
            Working thread = new Working(candidate.id(), null, candidate.subjectKey(), candidate.lastMessageAt(),
                    candidate.participants());
            threads.put(thread.id, thread);
            bySubject.computeIfAbsent(thread.subjectKey, key -> new ArrayList<>()).add(thread);
        }
    }

    private static long[] write(ThreadDao dao, long mailboxId, List<Working> placed) {
        List<Working> created = placed.stream().filter(Working::created).distinct().toList();
        List<Long> ids = created.isEmpty() ? List.of() : dao.nextIds(created.size());
        for (int i = 0; i < created.size(); i++) {
            created.get(i).id = ids.get(i);
        }
        dao.insertAll(mailboxId, created.stream().map(Working::added).toList());
        dao.addAll(placed.stream().filter(thread -> !thread.created()).distinct().map(Working::added).toList());
        return placed.stream().mapToLong(thread -> thread.id).toArray();
    }

    private static Set<String> references(AssignThread.Threading message) {
        Set<String> referenced = new LinkedHashSet<>(message.references());
        if (message.inReplyTo() != null) {
            referenced.add(message.inReplyTo());
        }
        return referenced;
    }

    private static Working known(long id, Map<Long, Working> threads) {
        return threads.computeIfAbsent(id, key -> new Working(key, null, null, null, Set.of()));
    }

    /** The stored messages the batch links to, by how it links. */
    private static final class Stored {
        private final Map<String, Linked> byMessageId = new HashMap<>();
        private final Map<String, Linked> byReferenced = new HashMap<>();
        private final Map<String, Linked> byContent = new HashMap<>();
        private final Set<Long> threadIds = new HashSet<>();

        Stored(List<Linked> rows, Set<String> referenced, Set<String> messageIds) {
            for (Linked row : rows) { // oldest first: the first kept is the one ORDER BY id LIMIT 1 would give
                threadIds.add(row.threadId());
                if (row.messageId() != null && referenced.contains(row.messageId())) {
                    byMessageId.putIfAbsent(row.messageId(), row);
                }
                if (row.inReplyTo() != null && messageIds.contains(row.inReplyTo())) {
                    byReferenced.putIfAbsent(row.inReplyTo(), row);
                }
                for (String ref : row.refs()) {
                    if (messageIds.contains(ref)) {
                        byReferenced.merge(ref, row, (a, b) -> a.id() <= b.id() ? a : b);
                    }
                }
                byContent.putIfAbsent(row.contentHash(), row);
            }
        }

        Set<Long> threadIds() {
            return threadIds;
        }

        Working referenced(Set<String> refs, Map<Long, Working> threads) {
            Linked first = null;
            for (String ref : refs) {
                Linked row = byMessageId.get(ref);
                if (row != null && (first == null || row.id() < first.id())) {
                    first = row;
                }
            }
            return first == null ? null : known(first.threadId(), threads);
        }

        Working referrer(String messageId, Map<Long, Working> threads) {
            Linked row = byReferenced.get(messageId);
            return row == null ? null : known(row.threadId(), threads);
        }

        Working content(String hash, Map<Long, Working> threads) {
            Linked row = byContent.get(hash);
            return row == null ? null : known(row.threadId(), threads);
        }
    }

    /** What the batch's messages placed so far offer the next ones. */
    private static final class Batch {
        private final Map<String, Integer> positionOfId = new HashMap<>();
        private final Map<String, Working> threadOfId = new HashMap<>();
        private final Map<String, Working> referrers = new HashMap<>();
        private final Map<String, Working> content = new HashMap<>();

        void remember(int position, Entry entry, Working thread) {
            AssignThread.Threading message = entry.threading();
            if (message.messageId() != null && !positionOfId.containsKey(message.messageId())) {
                positionOfId.put(message.messageId(), position);
                threadOfId.put(message.messageId(), thread);
            }
            references(message).forEach(ref -> referrers.putIfAbsent(ref, thread));
            content.putIfAbsent(entry.contentHash(), thread);
        }

        Working referenced(Collection<String> refs) {
            String first = null;
            for (String ref : refs) {
                Integer position = positionOfId.get(ref);
                if (position != null && (first == null || position < positionOfId.get(first))) {
                    first = ref;
                }
            }
            return first == null ? null : threadOfId.get(first);
        }

        Working referrer(String messageId) {
            return referrers.get(messageId);
        }
    }

    /** A thread as the batch sees it: what is stored of it, and what the batch adds. */
    private static final class Working {
        private long id;
        private final String subject;
        private final String subjectKey;
        private Instant lastAt;
        private final Set<String> participants;
        private int added;
        private Instant addedLastAt;
        private final Set<String> addedParticipants = new LinkedHashSet<>();

        Working(long id, String subject, String subjectKey, Instant lastAt, Collection<String> participants) {
            this.id = id;
            this.subject = subject;
            this.subjectKey = subjectKey;
            this.lastAt = lastAt;
            this.participants = new HashSet<>(participants);
        }

        boolean created() {
            return subject != null;
        }

        void add(AssignThread.Threading message) {
            added++;
            addedLastAt = addedLastAt == null || message.at().isAfter(addedLastAt) ? message.at() : addedLastAt;
            lastAt = lastAt == null || message.at().isAfter(lastAt) ? message.at() : lastAt;
            participants.addAll(message.participants());
            addedParticipants.addAll(message.participants());
        }

        Added added() {
            return new Added(id, subject, subjectKey, added, addedLastAt, List.copyOf(addedParticipants));
        }
    }
}
