package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code in}: some value is one of the operand's items (a list of at most 1000). Text, addresses
 * and list elements ignoring case (items strings); numbers exactly (items whole numbers).
 */
public final class In implements FilterOperator {

    @Override
    public String id() {
        return "in";
    }

    @Override
    public Set<FieldType> types() {
        return Set.of(FieldType.TEXT, FieldType.ADDRESS, FieldType.LIST, FieldType.NUMBER);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        if (type == FieldType.NUMBER) {
            Set<Long> wanted = new HashSet<>();
            for (Object item : Operands.list(operand)) {
                try {
                    wanted.add(Operands.number(item));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("value must be a list of whole numbers");
                }
            }
            return values -> values.stream().anyMatch(wanted::contains);
        }
        List<String> texts = Operands.texts(operand);
        Set<String> wanted = new HashSet<>();
        texts.forEach(text -> wanted.add(Operands.fold(text)));
        return values -> values.stream().anyMatch(value -> value instanceof String text && text.length() <= Operands.MAX_TEXT
                && wanted.contains(Operands.fold(text)));
    }
}
