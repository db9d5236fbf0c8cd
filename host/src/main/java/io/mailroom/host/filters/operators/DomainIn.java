package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code domain_in}: the domain of some address (the part after the last {@code @}; a text value
 * without one is taken as a domain) is one of the operand's domains or under one of them
 * ({@code acme.com} covers {@code mail.acme.com}), ignoring case. Operand: a list of domains.
 */
public final class DomainIn implements FilterOperator {

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9-]{1,63}(\\.[a-z0-9-]{1,63}){0,20}");

    @Override
    public String id() {
        return "domain_in";
    }

    @Override
    public Set<FieldType> types() {
        return Set.of(FieldType.ADDRESS, FieldType.TEXT);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        Set<String> wanted = new HashSet<>();
        for (String item : Operands.texts(operand)) {
            String domain = item.strip().toLowerCase(Locale.ROOT);
            if (domain.startsWith("@")) {
                domain = domain.substring(1);
            }
            if (!DOMAIN.matcher(domain).matches()) {
                throw new IllegalArgumentException("value must be a list of domains such as acme.com; \"" + item
                        + "\" is not one");
            }
            wanted.add(domain);
        }
        return values -> values.stream().anyMatch(value -> value instanceof String text && under(domainOf(text), wanted));
    }

    private static String domainOf(String value) {
        return value.substring(value.lastIndexOf('@') + 1).strip().toLowerCase(Locale.ROOT);
    }

    /** The domain or any parent of it is wanted: at most one lookup per label. */
    private static boolean under(String domain, Set<String> wanted) {
        for (String rest = domain; !rest.isEmpty(); ) {
            if (wanted.contains(rest)) {
                return true;
            }
            int dot = rest.indexOf('.');
            rest = dot < 0 ? "" : rest.substring(dot + 1);
        }
        return false;
    }
}
