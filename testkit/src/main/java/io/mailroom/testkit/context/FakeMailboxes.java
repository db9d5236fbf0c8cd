package io.mailroom.testkit.context;

import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.api.mailbox.Mailboxes;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The installation's mailboxes as a test declares them. */
public final class FakeMailboxes implements Mailboxes {

    private final Map<Long, MailboxInfo> mailboxes = new ConcurrentHashMap<>();

    /** Adds (or replaces) a mailbox; returns it. */
    public MailboxInfo add(MailboxInfo mailbox) {
        mailboxes.put(mailbox.id(), mailbox);
        return mailbox;
    }

    @Override
    public Optional<MailboxInfo> find(long mailboxId) {
        return Optional.ofNullable(mailboxes.get(mailboxId));
    }

    @Override
    public List<Long> ownedBy(long userId) {
        return mailboxes.values().stream().filter(mailbox -> mailbox.ownerUserId() == userId)
                .map(MailboxInfo::id).sorted().toList();
    }
}
