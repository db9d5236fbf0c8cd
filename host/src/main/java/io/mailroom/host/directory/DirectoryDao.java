package io.mailroom.host.directory;

import io.mailroom.api.directory.Directory.Company;
import io.mailroom.api.directory.Directory.Contact;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.util.List;
import java.util.Optional;

/**
 * Companies (with their domains) and contacts. Domains are stored lower case; emails as given and
 * compared by {@code lower(email)}, which the unique index covers. A null filter matches all.
 */
public interface DirectoryDao {

    String COMPANY = "SELECT c.id, c.name, COALESCE((SELECT array_agg(d.domain ORDER BY d.domain) "
            + "FROM company_domains d WHERE d.company_id = c.id), '{}') AS domains FROM companies c ";

    @SqlQuery(COMPANY + "WHERE c.id = :id")
    Optional<Company> company(@Bind("id") long id);

    @SqlQuery(COMPANY + "WHERE (CAST(:domain AS TEXT) IS NULL OR c.id = "
            + "(SELECT company_id FROM company_domains WHERE domain = lower(:domain))) "
            + "AND c.id > :after ORDER BY c.id LIMIT :limit")
    List<Company> companies(@Bind("domain") String domain, @Bind("after") long afterId, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM companies c WHERE CAST(:domain AS TEXT) IS NULL OR c.id = "
            + "(SELECT company_id FROM company_domains WHERE domain = lower(:domain))")
    long countCompanies(@Bind("domain") String domain);

    /** The company that owns one of {@code domains}, other than {@code except}: who a domain is taken by. */
    @SqlQuery("SELECT domain FROM company_domains WHERE domain = ANY(:domains) AND company_id <> :except ORDER BY domain LIMIT 1")
    Optional<String> takenDomain(@Bind("domains") String[] domains, @Bind("except") long exceptCompanyId);

    @SqlUpdate("INSERT INTO companies (name) VALUES (:name)")
    @GetGeneratedKeys("id")
    long insertCompany(@Bind("name") String name);

    @SqlUpdate("UPDATE companies SET name = :name WHERE id = :id")
    int renameCompany(@Bind("id") long id, @Bind("name") String name);

    @SqlUpdate("DELETE FROM company_domains WHERE company_id = :id")
    void clearDomains(@Bind("id") long companyId);

    @SqlUpdate("INSERT INTO company_domains (domain, company_id) SELECT unnest(:domains), :id")
    void addDomains(@Bind("id") long companyId, @Bind("domains") String[] domains);

    @SqlUpdate("DELETE FROM companies WHERE id = :id")
    int deleteCompany(@Bind("id") long id);

    /** Replaces the company's domains; the caller has checked none is another company's. */
    @Transaction
    default void setDomains(long companyId, List<String> domains) {
        clearDomains(companyId);
        addDomains(companyId, domains.toArray(String[]::new));
    }

    String CONTACT = "SELECT id, email, name, company_id, bounced_at FROM contacts ";

    @SqlQuery(CONTACT + "WHERE id = :id")
    Optional<Contact> contact(@Bind("id") long id);

    @SqlQuery(CONTACT + "WHERE lower(email) = lower(:email)")
    Optional<Contact> contactByEmail(@Bind("email") String email);

    @SqlQuery(CONTACT + "WHERE (CAST(:email AS TEXT) IS NULL OR lower(email) = lower(:email)) "
            + "AND (CAST(:company AS BIGINT) IS NULL OR company_id = :company) AND id > :after ORDER BY id LIMIT :limit")
    List<Contact> contacts(@Bind("email") String email, @Bind("company") Long companyId, @Bind("after") long afterId,
                           @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM contacts WHERE (CAST(:email AS TEXT) IS NULL OR lower(email) = lower(:email)) "
            + "AND (CAST(:company AS BIGINT) IS NULL OR company_id = :company)")
    long countContacts(@Bind("email") String email, @Bind("company") Long companyId);

    /** Inserts, or does nothing when the email (any case) is taken: then empty. */
    @SqlQuery("INSERT INTO contacts (email, name, company_id) VALUES (:email, :name, :company) "
            + "ON CONFLICT ((lower(email))) DO NOTHING RETURNING id")
    Optional<Long> insertContact(@Bind("email") String email, @Bind("name") String name, @Bind("company") Long companyId);

    @SqlUpdate("UPDATE contacts SET email = :email, name = :name, company_id = :company WHERE id = :id")
    int updateContact(@Bind("id") long id, @Bind("email") String email, @Bind("name") String name,
                      @Bind("company") Long companyId);

    /** Marks the contact with this address (any case) as bounced now; 0 when there is none. */
    @SqlUpdate("UPDATE contacts SET bounced_at = now() WHERE lower(email) = lower(:email)")
    int flagBounced(@Bind("email") String email);

    @SqlUpdate("DELETE FROM contacts WHERE id = :id")
    int deleteContact(@Bind("id") long id);

    /** Whether some user's login email is this one (any case): a known sender. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(:email))")
    boolean isUser(@Bind("email") String email);

    /** A known address (lower case) and the name of its company, or null. */
    record KnownAddress(String email, String company) {
    }

    /** A domain and the name of the company that owns it. */
    record DomainCompany(String domain, String company) {
    }

    /** Which of {@code emails} (lower case) are contacts, with their company: one query for a batch. */
    @SqlQuery("SELECT lower(c.email) AS email, co.name AS company FROM contacts c "
            + "LEFT JOIN companies co ON co.id = c.company_id WHERE lower(c.email) = ANY(:emails)")
    List<KnownAddress> contactsAmong(@Bind("emails") String[] emails);

    /** Which of {@code emails} (lower case) are users' login emails. */
    @SqlQuery("SELECT lower(email) FROM users WHERE lower(email) = ANY(:emails)")
    List<String> usersAmong(@Bind("emails") String[] emails);

    /** The companies owning any of {@code domains} (lower case). */
    @SqlQuery("SELECT d.domain, co.name AS company FROM company_domains d JOIN companies co ON co.id = d.company_id "
            + "WHERE d.domain = ANY(:domains)")
    List<DomainCompany> companiesOfDomains(@Bind("domains") String[] domains);
}
