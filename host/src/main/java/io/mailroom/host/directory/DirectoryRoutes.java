package io.mailroom.host.directory;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.api.directory.Directory.Company;
import io.mailroom.api.directory.Directory.Contact;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.RouteGroup;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/companies} and {@code /api/contacts}: the installation's directory, kept by a
 * superadmin (it spans every user's mailboxes). A domain is one company's at most: giving it to a
 * second is a 409, as is a second contact with an email that differs only in case.
 */
public final class DirectoryRoutes implements RouteGroup {

    private final Jdbi jdbi;

    public DirectoryRoutes(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A company as a client sends it; on update, a null field stays as it is. */
    public record CompanyInput(String name, List<String> domains) {
    }

    /** A contact as a client sends it; {@code companyId} is JSON so an explicit null can clear it. */
    public record ContactInput(String email, String name, JsonNode companyId) {
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/companies", ctx -> {
            Authentication.superadmin(ctx);
            String domain = blankToNull(ctx.queryParam("domain"));
            PageRequest page = PageRequest.from(ctx);
            DirectoryDao dao = jdbi.onDemand(DirectoryDao.class);
            ctx.json(page.page(dao.companies(domain, page.afterId(), page.fetchSize()), Company::id, dao.countCompanies(domain)));
        });
        routes.post("/api/companies", ctx -> {
            Authentication.superadmin(ctx);
            CompanyInput in = ctx.bodyAsClass(CompanyInput.class);
            String name = name(in.name(), "name", true);
            List<String> domains = domains(in.domains() == null ? List.of() : in.domains());
            Company created = unlessTaken(() -> jdbi.inTransaction(handle -> {
                DirectoryDao dao = handle.attach(DirectoryDao.class);
                long id = dao.insertCompany(name);
                requireFree(dao, domains, id);
                dao.setDomains(id, domains);
                return dao.company(id).orElseThrow();
            }));
            ctx.status(201).json(created);
        });
        routes.get("/api/companies/{id}", ctx -> {
            Authentication.superadmin(ctx);
            ctx.json(company(ctx));
        });
        routes.put("/api/companies/{id}", ctx -> {
            Authentication.superadmin(ctx);
            Company old = company(ctx);
            CompanyInput in = ctx.bodyAsClass(CompanyInput.class);
            String name = in.name() == null ? old.name() : name(in.name(), "name", true);
            List<String> domains = in.domains() == null ? old.domains() : domains(in.domains());
            ctx.json(unlessTaken(() -> jdbi.inTransaction(handle -> {
                DirectoryDao dao = handle.attach(DirectoryDao.class);
                dao.renameCompany(old.id(), name);
                requireFree(dao, domains, old.id());
                dao.setDomains(old.id(), domains);
                return dao.company(old.id()).orElseThrow();
            })));
        });
        routes.delete("/api/companies/{id}", ctx -> {
            Authentication.superadmin(ctx);
            long id = PathIds.id(ctx);
            if (jdbi.onDemand(DirectoryDao.class).deleteCompany(id) == 0) {
                throw ApiException.notFound("company " + id);
            }
            ctx.status(204);
        });

        routes.get("/api/contacts", ctx -> {
            Authentication.superadmin(ctx);
            String email = blankToNull(ctx.queryParam("email"));
            Long company = ctx.queryParam("company_id") == null ? null : companyParam(ctx.queryParam("company_id"));
            PageRequest page = PageRequest.from(ctx);
            DirectoryDao dao = jdbi.onDemand(DirectoryDao.class);
            ctx.json(page.page(dao.contacts(email, company, page.afterId(), page.fetchSize()), Contact::id,
                    dao.countContacts(email, company)));
        });
        routes.post("/api/contacts", ctx -> {
            Authentication.superadmin(ctx);
            ContactInput in = ctx.bodyAsClass(ContactInput.class);
            String email = email(in.email());
            String name = name(in.name(), "name", false);
            Long company = company(in.companyId());
            Long id = jdbi.onDemand(DirectoryDao.class).insertContact(email, name, company)
                    .orElseThrow(() -> ApiException.conflict("a contact with this email exists"));
            ctx.status(201).json(jdbi.onDemand(DirectoryDao.class).contact(id).orElseThrow());
        });
        routes.get("/api/contacts/{id}", ctx -> {
            Authentication.superadmin(ctx);
            ctx.json(contact(ctx));
        });
        routes.put("/api/contacts/{id}", ctx -> {
            Authentication.superadmin(ctx);
            Contact old = contact(ctx);
            ContactInput in = ctx.bodyAsClass(ContactInput.class);
            String email = in.email() == null ? old.email() : email(in.email());
            String name = in.name() == null ? old.name() : name(in.name(), "name", false);
            Long company = in.companyId() == null ? old.companyId() : company(in.companyId());
            DirectoryDao dao = jdbi.onDemand(DirectoryDao.class);
            if (dao.contactByEmail(email).filter(other -> other.id() != old.id()).isPresent()) {
                throw ApiException.conflict("a contact with this email exists");
            }
            unlessTaken(() -> dao.updateContact(old.id(), email, name, company));
            ctx.json(dao.contact(old.id()).orElseThrow());
        });
        routes.delete("/api/contacts/{id}", ctx -> {
            Authentication.superadmin(ctx);
            long id = PathIds.id(ctx);
            if (jdbi.onDemand(DirectoryDao.class).deleteContact(id) == 0) {
                throw ApiException.notFound("contact " + id);
            }
            ctx.status(204);
        });
    }

    private Company company(Context ctx) {
        long id = PathIds.id(ctx);
        return jdbi.onDemand(DirectoryDao.class).company(id).orElseThrow(() -> ApiException.notFound("company " + id));
    }

    private Contact contact(Context ctx) {
        long id = PathIds.id(ctx);
        return jdbi.onDemand(DirectoryDao.class).contact(id).orElseThrow(() -> ApiException.notFound("contact " + id));
    }

    /** A company id as sent: a JSON null clears it; an id must name a company. */
    private Long company(JsonNode given) {
        if (given == null || given.isNull()) {
            return null;
        }
        if (!given.canConvertToLong() || !given.isIntegralNumber()) {
            throw ApiException.invalid("company_id", "company_id must be a company's id or null");
        }
        long id = given.asLong();
        if (jdbi.onDemand(DirectoryDao.class).company(id).isEmpty()) {
            throw ApiException.invalid("company_id", "there is no company " + id);
        }
        return id;
    }

    private static Long companyParam(String given) {
        try {
            return Long.parseLong(given);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("company_id", "company_id must be a number");
        }
    }

    private static void requireFree(DirectoryDao dao, List<String> domains, long companyId) {
        dao.takenDomain(domains.toArray(String[]::new), companyId).ifPresent(domain -> {
            throw ApiException.conflict("the domain " + domain + " belongs to another company");
        });
    }

    private static List<String> domains(List<String> given) {
        if (given.size() > DirectoryNames.MAX_DOMAINS) {
            throw ApiException.invalid("domains", "at most " + DirectoryNames.MAX_DOMAINS + " domains");
        }
        Set<String> domains = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String domain = DirectoryNames.domain(given.get(i));
            if (domain == null) {
                throw ApiException.invalid("domains[" + i + "]", "not a domain name such as example.com");
            }
            domains.add(domain);
        }
        return new ArrayList<>(domains);
    }

    private static String email(String given) {
        String email = DirectoryNames.email(given);
        if (email == null) {
            throw ApiException.invalid("email", "email must be an address such as ann@example.com");
        }
        return email;
    }

    private static String name(String given, String path, boolean required) {
        if (given == null || given.isBlank()) {
            if (required) {
                throw ApiException.invalid(path, path + " is required");
            }
            return null;
        }
        if (given.strip().length() > DirectoryNames.MAX_NAME) {
            throw ApiException.invalid(path, path + " is at most " + DirectoryNames.MAX_NAME + " characters");
        }
        return given.strip();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * Runs a write, turning a unique violation (a domain or an email taken by a concurrent request
     * between the check and the write) into the same 409 the check gives.
     */
    private static <T> T unlessTaken(java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (org.jdbi.v3.core.JdbiException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                    throw ApiException.conflict("this domain or email is taken");
                }
            }
            throw e;
        }
    }
}
