package io.mailroom.host.filters.operators;

import io.mailroom.api.filter.FilterOperator;

import java.util.List;

/** The operators Mailroom ships; a plugin's operator may not take one of their ids. */
public final class BuiltInOperators {

    public static final List<FilterOperator> ALL = List.of(new Equals(), new Contains(), new StartsWith(),
            new EndsWith(), new Matches(), new In(), new DomainIn(), new Exists(), new GreaterThan(), new LessThan(),
            new Before(), new After());

    private BuiltInOperators() {
    }
}
