package io.mailroom.host.directory;

import io.mailroom.api.directory.Directory;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/** The {@link Directory} the host hands plugins: the same tables and checks as {@code /api/contacts}. */
public final class HostDirectory implements Directory {

    private final Jdbi jdbi;

    public HostDirectory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<Contact> contactByEmail(String email) {
        return email == null ? Optional.empty() : jdbi.onDemand(DirectoryDao.class).contactByEmail(email.strip());
    }

    @Override
    public Optional<Company> companyByDomain(String domain) {
        String checked = DirectoryNames.domain(domain);
        if (checked == null) {
            return Optional.empty();
        }
        DirectoryDao dao = jdbi.onDemand(DirectoryDao.class);
        return dao.companies(checked, 0, 1).stream().findFirst();
    }

    @Override
    public Contact createContact(String email, String name, Long companyId) {
        String checked = DirectoryNames.email(email);
        if (checked == null) {
            throw new IllegalArgumentException("not an email address");
        }
        String shortName = name == null ? null : name.strip().substring(0, Math.min(name.strip().length(), DirectoryNames.MAX_NAME));
        return jdbi.inTransaction(handle -> {
            DirectoryDao dao = handle.attach(DirectoryDao.class);
            Long company = companyId != null ? dao.company(companyId).map(Company::id).orElse(null)
                    : dao.companies(DirectoryNames.domainOf(checked), 0, 1).stream().findFirst().map(Company::id).orElse(null);
            Optional<Long> id = dao.insertContact(checked, shortName, company);
            return id.flatMap(dao::contact).or(() -> dao.contactByEmail(checked)).orElseThrow();
        });
    }

    /** Whether mail from {@code email} is from someone known: a user of this installation or a contact. */
    public boolean isKnownSender(String email) {
        if (email == null || email.isBlank()) {
            return false;
        }
        DirectoryDao dao = jdbi.onDemand(DirectoryDao.class);
        return dao.isUser(email.strip()) || dao.contactByEmail(email.strip()).isPresent();
    }

    /** Whether {@code email} is a contact. */
    public boolean isContact(String email) {
        return email != null && !email.isBlank() && contactByEmail(email).isPresent();
    }
}
