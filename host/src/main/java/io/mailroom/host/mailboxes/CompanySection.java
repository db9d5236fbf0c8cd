package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.errors.ApiException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/**
 * The mailbox field {@code company_id}: the directory company the mailbox serves (a ticket sink's
 * fallback company), or null. An id no company has is a 400 at {@code company_id}; a deleted
 * company leaves the mailbox without one (the column's ON DELETE SET NULL).
 */
public final class CompanySection implements MailboxSection {

    private final Jdbi jdbi;

    public CompanySection(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The mailbox's company column. */
    public interface MailboxCompanyDao {

        /** The company's id, 0 for none (a mailbox without one reads as 0 rather than a null row). */
        @SqlQuery("SELECT coalesce(company_id, 0) FROM mailboxes WHERE id = :id")
        Optional<Long> stored(@Bind("id") long mailboxId);

        default Optional<Long> find(long mailboxId) {
            return stored(mailboxId).filter(id -> id != 0);
        }

        @SqlUpdate("UPDATE mailboxes SET company_id = :company WHERE id = :id")
        void set(@Bind("id") long mailboxId, @Bind("company") Long companyId);

        @SqlQuery("SELECT EXISTS (SELECT 1 FROM companies WHERE id = :id)")
        boolean companyExists(@Bind("id") long companyId);
    }

    @Override
    public String name() {
        return "company_id";
    }

    @Override
    public void check(JsonNode given) {
        companyOf(given);
    }

    @Override
    public void save(Mailbox mailbox, JsonNode given) {
        jdbi.onDemand(MailboxCompanyDao.class).set(mailbox.id(), companyOf(given));
    }

    private Long companyOf(JsonNode given) {
        if (given.isNull()) {
            return null;
        }
        if (!given.canConvertToExactIntegral() || !given.isIntegralNumber() || given.asLong() <= 0) {
            throw ApiException.invalid("company_id", "company_id must be the id of a company, or null");
        }
        if (!jdbi.onDemand(MailboxCompanyDao.class).companyExists(given.asLong())) {
            throw ApiException.invalid("company_id", "no company has the id " + given.asLong());
        }
        return given.asLong();
    }

    @Override
    public Object show(Mailbox mailbox) {
        return jdbi.onDemand(MailboxCompanyDao.class).find(mailbox.id()).orElse(null);
    }
}
