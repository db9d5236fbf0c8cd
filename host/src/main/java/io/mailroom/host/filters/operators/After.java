package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.time.Instant;
import java.util.Set;

/**
 * {@code after}: some date is later than the operand: an instant ({@code 2026-01-31T12:00:00Z}) or a
 * day ({@code 2026-01-31}, its start in UTC).
 */
public final class After implements FilterOperator {

    @Override
    public String id() {
        return "after";
    }

    @Override
    public Set<FieldType> types() {
        return Set.of(FieldType.DATE);
    }

    @Override
    public FilterPredicate compile(FieldType type, Object operand) {
        Instant bound = Operands.instant(operand);
        return values -> values.stream().anyMatch(value -> value instanceof Instant date && date.isAfter(bound));
    }
}
