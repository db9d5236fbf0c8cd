package io.mailroom.api.directory;

import java.util.Optional;

/**
 * The installation's directory of companies and contacts, as an extension sees it (a rule action
 * that files mail by company, a sink that creates the sender as a contact). Emails and domains are
 * matched without regard to case.
 *
 * <p>Thread-safe. Each call is its own transaction: a contact created here is committed on
 * return. A failure of the host's store surfaces as {@link io.mailroom.api.TemporaryException}.
 */
public interface Directory {

    /** The contact with this email (any case), if there is one. */
    Optional<Contact> contactByEmail(String email);

    /** The company owning this email domain (any case, no {@code @}), if any. */
    Optional<Company> companyByDomain(String domain);

    /**
     * Creates a contact, or returns the one that already has this email (any case) unchanged, so
     * calling it twice for one sender is harmless.
     *
     * @param companyId the company, or null; when null, the company owning the email's domain
     * @throws IllegalArgumentException when the email is not an address
     */
    Contact createContact(String email, String name, Long companyId);

    /** A company and the email domains that are its own (lower case). */
    record Company(long id, String name, java.util.List<String> domains) {
        public Company {
            domains = java.util.List.copyOf(domains);
        }
    }

    /**
     * A person the installation knows; {@code name} and {@code companyId} may be null.
     * {@code bouncedAt}: when mail to this address last came back undeliverable (a delivery status
     * notification tied to a message sent from Mailroom), or null.
     */
    record Contact(long id, String email, String name, Long companyId, java.time.Instant bouncedAt) {
    }
}
