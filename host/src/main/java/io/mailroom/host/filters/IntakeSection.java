package io.mailroom.host.filters;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxSection;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

/**
 * The mailbox fields {@code filter_query}, {@code sync_known_only} and {@code contacts_only}, kept
 * in {@code mailbox_intake}. A filter is compiled before anything is saved, so an invalid one is
 * never stored (a 400 naming {@code filter_query.all[2].op}).
 */
public final class IntakeSection implements MailboxSection {

    public static final int MAX_FILTER_JSON = 64 * 1024;

    private final String name;
    private final Jdbi jdbi;
    private final FilterCompiler compiler;

    private IntakeSection(String name, Jdbi jdbi, FilterCompiler compiler) {
        this.name = name;
        this.jdbi = jdbi;
        this.compiler = compiler;
    }

    /** The three sections, in the order the mailbox shows them. */
    public static List<MailboxSection> all(Jdbi jdbi, FilterCompiler compiler) {
        return List.of(new IntakeSection("filter_query", jdbi, compiler), new IntakeSection("sync_known_only", jdbi, compiler),
                new IntakeSection("contacts_only", jdbi, compiler));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void check(JsonNode given) {
        if (name.equals("filter_query")) {
            checkFilter(compiler, given, name);
        } else if (!given.isNull() && !given.isBoolean()) {
            throw ApiException.invalid(name, name + " must be true or false");
        }
    }

    /** Compiles {@code given}, or refuses it as a 400 naming the path of the fault. */
    public static MessageFilter checkFilter(FilterCompiler compiler, JsonNode given, String root) {
        if (given != null && given.toString().length() > MAX_FILTER_JSON) {
            throw ApiException.invalid(root, root + " is longer than " + MAX_FILTER_JSON + " characters of JSON");
        }
        try {
            return compiler.compile(given, root);
        } catch (FilterException e) {
            throw ApiException.invalid(e.path(), e.getMessage());
        }
    }

    @Override
    public void save(Mailbox mailbox, JsonNode given) {
        MailboxIntakeDao dao = jdbi.onDemand(MailboxIntakeDao.class);
        switch (name) {
            case "filter_query" -> dao.setFilterQuery(mailbox.id(), given.isNull() ? null : given.toString());
            case "sync_known_only" -> dao.setSyncKnownOnly(mailbox.id(), given.asBoolean(false));
            default -> dao.setContactsOnly(mailbox.id(), given.asBoolean(false));
        }
    }

    @Override
    public Object show(Mailbox mailbox) {
        MailboxIntake intake = jdbi.onDemand(MailboxIntakeDao.class).find(mailbox.id()).orElse(null);
        return switch (name) {
            case "filter_query" -> intake == null || intake.filterQuery() == null ? null : Json.tree(intake.filterQuery());
            case "sync_known_only" -> intake != null && intake.syncKnownOnly();
            default -> intake != null && intake.contactsOnly();
        };
    }
}
