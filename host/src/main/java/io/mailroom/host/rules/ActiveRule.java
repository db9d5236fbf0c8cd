package io.mailroom.host.rules;

import io.mailroom.host.filters.MessageFilter;

import java.util.List;

/**
 * A rule as the processing chain runs it: its condition compiled, its actions' data opened.
 *
 * @param condition the compiled condition ({@link MessageFilter#ALL} when the rule has none), or
 *                  {@code null} when it cannot be compiled now (an operator whose plugin is
 *                  disabled); then {@code problem} says why and the rule runs on no message
 * @param problem   why the rule cannot run, or {@code null}
 */
public record ActiveRule(long id, String name, MessageFilter condition, String problem, List<ActiveAction> actions,
                         boolean stop) {

    public ActiveRule {
        actions = List.copyOf(actions);
    }
}
