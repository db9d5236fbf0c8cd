package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.Set;

/**
 * {@code equals}: some value is the operand. Text, addresses and list elements ignoring case
 * (operand a string); numbers (a whole number) and booleans (true or false) exactly.
 */
public final class Equals implements FilterOperator {

    @Override
    public String id() {
        return "equals";
    }

    @Override
    public Set<FieldType> types() {
        return Set.of(FieldType.TEXT, FieldType.ADDRESS, FieldType.LIST, FieldType.NUMBER, FieldType.BOOLEAN);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        return switch (type) {
            case NUMBER -> {
                long wanted = Operands.number(operand);
                yield values -> values.stream().anyMatch(value -> value instanceof Long number && number == wanted);
            }
            case BOOLEAN -> {
                Boolean wanted = Operands.bool(operand);
                yield values -> values.contains(wanted);
            }
            default -> {
                String wanted = Operands.fold(Operands.text(operand));
                yield values -> values.stream().anyMatch(value -> value instanceof String text
                        && text.length() == wanted.length() && Operands.fold(text).equals(wanted));
            }
        };
    }
}
