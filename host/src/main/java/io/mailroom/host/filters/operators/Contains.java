package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.Set;

/** {@code contains}: some value contains the operand (a string), ignoring case; linear in the value. */
public final class Contains implements FilterOperator {

    @Override
    public String id() {
        return "contains";
    }

    @Override
    public Set<FieldType> types() {
        return Set.of(FieldType.TEXT, FieldType.ADDRESS, FieldType.LIST);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        FoldedSubstring wanted = new FoldedSubstring(Operands.text(operand));
        return values -> values.stream().anyMatch(value -> value instanceof String text && wanted.in(text));
    }
}
