package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.Set;

/** {@code starts_with}: some value begins with the operand (a string), ignoring case. */
public final class StartsWith implements FilterOperator {

    @Override
    public String id() {
        return "starts_with";
    }

    @Override
    public Set<FieldType> types() {
        return Set.of(FieldType.TEXT, FieldType.ADDRESS, FieldType.LIST);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        String wanted = Operands.fold(Operands.text(operand));
        return values -> values.stream().anyMatch(value -> value instanceof String text && text.length() >= wanted.length()
                && Operands.fold(text.substring(0, wanted.length())).equals(wanted));
    }
}
