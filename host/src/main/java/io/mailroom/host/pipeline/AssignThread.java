package io.mailroom.host.pipeline;

import io.mailroom.host.messages.ThreadDao;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Places a message in a thread of its mailbox: first by In-Reply-To and References (in either
 * direction, so a reply that arrives before its parent still joins it), then by normalized
 * subject with a shared participant within a time window, else in a new thread.
 */
public final class AssignThread {

    /** How far back a subject match may reach. */
    static final Duration SUBJECT_WINDOW = Duration.ofDays(30);

    /** What threading needs to know of a message. */
    record Threading(String messageId, String inReplyTo, List<String> references, String subject, String subjectKey,
                     Set<String> participants, Instant at) {
    }

    long assign(Handle handle, long mailboxId, Threading message) {
        ThreadDao threads = handle.attach(ThreadDao.class);
        Set<String> referenced = new LinkedHashSet<>(message.references());
        if (message.inReplyTo() != null) {
            referenced.add(message.inReplyTo());
        }
        String[] participants = message.participants().toArray(String[]::new);
        Optional<Long> thread = referenced.isEmpty() ? Optional.empty()
                : threads.threadOfReferenced(mailboxId, referenced.toArray(String[]::new));
        if (thread.isEmpty() && message.messageId() != null) {
            thread = threads.threadOfReferrer(mailboxId, message.messageId());
        }
        if (thread.isEmpty() && !message.subjectKey().isEmpty() && participants.length > 0) {
            thread = threads.threadBySubject(mailboxId, message.subjectKey(), message.at().minus(SUBJECT_WINDOW),
                    participants);
        }
        long id = thread.orElseGet(() -> threads.insert(mailboxId, message.subject(), message.subjectKey()));
        threads.addMessage(id, message.at(), participants);
        return id;
    }

    /** Counts a message in a thread chosen already (another place of the same message is in it). */
    long join(Handle handle, long threadId, Threading message) {
        handle.attach(ThreadDao.class).addMessage(threadId, message.at(), message.participants().toArray(String[]::new));
        return threadId;
    }
}
