package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@code exists}: the field has a value (a text one not blank), for any type; operand {@code true}
 * (the default when left out) or {@code false} for "has none". For a boolean field it is always
 * true: use {@code equals}.
 */
public final class Exists implements FilterOperator {

    @Override
    public String id() {
        return "exists";
    }

    @Override
    public Set<FieldType> types() {
        return EnumSet.allOf(FieldType.class);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        boolean wanted = operand == null || Operands.bool(operand);
        return values -> values.stream().anyMatch(value -> !(value instanceof String text) || !text.isBlank()) == wanted;
    }
}
