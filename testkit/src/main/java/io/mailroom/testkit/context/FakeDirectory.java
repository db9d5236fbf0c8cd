package io.mailroom.testkit.context;

import io.mailroom.api.directory.Directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory directory of companies and contacts with the contract of the host's: emails and
 * domains match without regard to case, {@link #createContact} returns an existing contact
 * unchanged, and a contact created without a company gets the one owning its email's domain.
 */
public final class FakeDirectory implements Directory {

    private final AtomicLong nextId = new AtomicLong(1);
    private final List<Company> companies = new ArrayList<>();
    private final List<Contact> contacts = new ArrayList<>();

    /** Adds a company owning {@code domains}; returns it. */
    public synchronized Company addCompany(String name, String... domains) {
        Company company = new Company(nextId.getAndIncrement(), name,
                List.of(domains).stream().map(domain -> domain.toLowerCase(Locale.ROOT)).toList());
        companies.add(company);
        return company;
    }

    /** Adds a contact; {@code companyId} may be null. */
    public synchronized Contact addContact(String email, String name, Long companyId) {
        Contact contact = new Contact(nextId.getAndIncrement(), email.toLowerCase(Locale.ROOT), name, companyId, null);
        contacts.add(contact);
        return contact;
    }

    /** Every contact, in the order they were added or created. */
    public synchronized List<Contact> contacts() {
        return List.copyOf(contacts);
    }

    @Override
    public synchronized Optional<Contact> contactByEmail(String email) {
        return contacts.stream().filter(contact -> contact.email().equalsIgnoreCase(email)).findFirst();
    }

    @Override
    public synchronized Optional<Company> companyByDomain(String domain) {
        String wanted = domain.toLowerCase(Locale.ROOT);
        return companies.stream().filter(company -> company.domains().contains(wanted)).findFirst();
    }

    @Override
    public synchronized Contact createContact(String email, String name, Long companyId) {
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            throw new IllegalArgumentException("email is not an address");
        }
        Optional<Contact> existing = contactByEmail(email);
        if (existing.isPresent()) {
            return existing.get();
        }
        Long company = companyId != null ? companyId
                : companyByDomain(email.substring(at + 1)).map(Company::id).orElse(null);
        return addContact(email, name, company);
    }
}
