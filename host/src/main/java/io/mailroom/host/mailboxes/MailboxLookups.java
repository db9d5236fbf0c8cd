package io.mailroom.host.mailboxes;

import io.mailroom.api.mailbox.MailboxInfo;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/**
 * The installation's mailboxes as extensions see them ({@link io.mailroom.api.mailbox.Mailboxes}),
 * read-only, each call its own query. A mailbox no user owns shows owner 0; its company
 * ({@link CompanySection}) and sink ({@link SinkSection}) are null when it has none.
 */
public record MailboxLookups(Jdbi jdbi) implements io.mailroom.api.mailbox.Mailboxes {

    @Override
    public Optional<MailboxInfo> find(long mailboxId) {
        return jdbi.withHandle(handle -> handle.attach(MailboxDao.class).find(mailboxId).map(mailbox -> new MailboxInfo(
                mailbox.id(), mailbox.name(), mailbox.email(), mailbox.ownerUserId() == null ? 0 : mailbox.ownerUserId(),
                handle.attach(CompanySection.MailboxCompanyDao.class).find(mailboxId).orElse(null),
                handle.attach(MailboxSinkDao.class).find(mailboxId).map(MailboxSinkDao.MailboxSink::sink).orElse(null))));
    }

    @Override
    public List<Long> ownedBy(long userId) {
        return jdbi.onDemand(MailboxDao.class).idsOwnedBy(userId);
    }
}
