package io.mailroom.host.filters;

/** A compiled filter: whether a message matches. Immutable, safe to share between threads. */
@FunctionalInterface
public interface MessageFilter {

    MessageFilter ALL = facts -> true;

    boolean test(MessageFacts facts);
}
