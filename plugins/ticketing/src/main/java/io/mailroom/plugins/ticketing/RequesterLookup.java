package io.mailroom.plugins.ticketing;

import io.mailroom.api.directory.Directory;
import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.api.message.Address;

import java.util.Optional;

/**
 * Decides whom a new ticket is raised for, in this order:
 * <ol>
 *   <li>the sender is a contact with a company: that contact and company;</li>
 *   <li>the sender's domain belongs to a company: that company, and the sender as its contact
 *       (created when there is none);</li>
 *   <li>the mailbox has a {@code company_id}: that company, and the sender's contact when one
 *       exists (MyPortal's fallback);</li>
 *   <li>the sender is a contact without a company: that contact alone;</li>
 *   <li>{@code create_for_unknown_senders} is on: no contact, no company;</li>
 *   <li>otherwise none: the message is left for review.</li>
 * </ol>
 */
final class RequesterLookup {

    private final Directory directory;

    RequesterLookup(Directory directory) {
        this.directory = directory;
    }

    Optional<Requester> find(Address sender, MailboxInfo mailbox, boolean createForUnknownSenders) {
        String email = sender.email();
        String name = sender.name().isBlank() ? null : sender.name();
        if (email.indexOf('@') <= 0) {
            // no usable address: nobody to look up, nobody to create
            return mailbox.companyId() != null || createForUnknownSenders
                    ? Optional.of(new Requester(null, mailbox.companyId(), email.isEmpty() ? null : email, name))
                    : Optional.empty();
        }
        Optional<Directory.Contact> contact = directory.contactByEmail(email);
        if (contact.isPresent() && contact.get().companyId() != null) {
            return Optional.of(new Requester(contact.get().id(), contact.get().companyId(), email, name));
        }
        Optional<Directory.Company> company = sender.domain().isEmpty() ? Optional.empty()
                : directory.companyByDomain(sender.domain());
        if (company.isPresent()) {
            long contactId = contact.isPresent() ? contact.get().id()
                    : directory.createContact(email, name, company.get().id()).id();
            return Optional.of(new Requester(contactId, company.get().id(), email, name));
        }
        Long contactId = contact.map(Directory.Contact::id).orElse(null);
        if (mailbox.companyId() != null) {
            return Optional.of(new Requester(contactId, mailbox.companyId(), email, name));
        }
        if (contactId != null || createForUnknownSenders) {
            return Optional.of(new Requester(contactId, null, email, name));
        }
        return Optional.empty();
    }
}
