package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.Set;

/** {@code ends_with}: some value ends with the operand (a string), ignoring case. */
public final class EndsWith implements FilterOperator {

    @Override
    public String id() {
        return "ends_with";
    }

    @Override
    public Set<FieldType> types() {
        return Set.of(FieldType.TEXT, FieldType.ADDRESS, FieldType.LIST);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        String wanted = Operands.fold(Operands.text(operand));
        return values -> values.stream().anyMatch(value -> value instanceof String text && text.length() >= wanted.length()
                && Operands.fold(text.substring(text.length() - wanted.length())).equals(wanted));
    }
}
