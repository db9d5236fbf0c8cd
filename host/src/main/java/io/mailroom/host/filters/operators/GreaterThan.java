package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.Set;

/** {@code gt}: some value is greater than the operand (a whole number), for numbers such as {@code size}. */
public final class GreaterThan implements FilterOperator {

    @Override
    public String id() {
        return "gt";
    }

    @Override
    public Set<FieldType> types() {
        return Set.of(FieldType.NUMBER);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        long bound = Operands.number(operand);
        return values -> values.stream().anyMatch(value -> value instanceof Long number && number > bound);
    }
}
