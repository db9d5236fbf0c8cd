package io.mailroom.host.filters;

import io.mailroom.host.directory.DirectoryDao;
import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the directory knows of a batch's addresses, read with one query per table for the whole
 * batch (not one per message), in the batch's transaction.
 */
public final class KnownSenders implements SenderFacts {

    private final Map<String, String> contacts = new HashMap<>(); // email -> company name ("" for none)
    private final Set<String> users = new HashSet<>();
    private final Map<String, String> domains = new HashMap<>();

    private KnownSenders() {
    }

    /** Looks up every address in {@code emails} (any case). */
    public static KnownSenders load(Handle handle, Collection<String> emails) {
        KnownSenders known = new KnownSenders();
        String[] lower = emails.stream().filter(email -> email != null && !email.isBlank())
                .map(email -> email.strip().toLowerCase(Locale.ROOT)).distinct().toArray(String[]::new);
        if (lower.length == 0) {
            return known;
        }
        DirectoryDao dao = handle.attach(DirectoryDao.class);
        dao.contactsAmong(lower).forEach(c -> known.contacts.put(c.email(), c.company() == null ? "" : c.company()));
        known.users.addAll(dao.usersAmong(lower));
        String[] domains = java.util.Arrays.stream(lower).filter(email -> email.indexOf('@') > 0)
                .map(KnownSenders::domainOf).distinct().toArray(String[]::new);
        dao.companiesOfDomains(domains).forEach(d -> known.domains.put(d.domain(), d.company()));
        return known;
    }

    @Override
    public boolean isContact(String email) {
        return email != null && contacts.containsKey(email.toLowerCase(Locale.ROOT));
    }

    public boolean isUser(String email) {
        return email != null && users.contains(email.toLowerCase(Locale.ROOT));
    }

    @Override
    public Optional<String> company(String email) {
        if (email == null) {
            return Optional.empty();
        }
        String lower = email.toLowerCase(Locale.ROOT);
        String viaContact = contacts.get(lower);
        if (viaContact != null && !viaContact.isEmpty()) {
            return Optional.of(viaContact);
        }
        return Optional.ofNullable(domains.get(domainOf(lower)));
    }

    private static String domainOf(String email) {
        return email.substring(email.lastIndexOf('@') + 1);
    }
}
