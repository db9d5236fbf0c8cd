package io.mailroom.api.filter;

import io.mailroom.api.Extension;

import java.util.Set;

/**
 * One operator of the JSON filter DSL ({@code equals}, {@code contains}, {@code domain_in}…).
 * A condition reads {@code {"field": "from", "op": "<id>", "value": <operand>}}; the host resolves
 * the field to its typed values and runs the predicate this operator compiled for the operand.
 *
 * <p>Lifecycle: {@link #compile} runs once when a filter is saved or validated (a bad operand is
 * refused then, never during a sync) and again when a sync loads the filter; the predicate it
 * returns is then run on every message. An operator of a plugin is usable as soon as the plugin
 * has started; a stored filter naming it while its plugin is disabled is reported on the mailbox
 * and stops its sync until the plugin is back, rather than taking mail unfiltered.
 *
 * <p>Threading: stateless, one instance, called from many threads. Operands are JSON values as
 * Java objects: {@code String}, {@code Number}, {@code Boolean}, {@code List}, {@code Map}, or
 * {@code null}.
 */
public interface FilterOperator extends Extension {

    /** The field types this operator applies to; naming it on a field of another type is refused on save. */
    Set<FieldType> types();

    /**
     * Checks the operand for a field of {@code type} (one of {@link #types()}) and compiles it into
     * the predicate runs use: parse a pattern or a date here, once, not per message.
     *
     * @throws IllegalArgumentException with a sentence for the admin (no class names) when the
     *                                  operand is unusable; it is shown with the path of the value
     */
    FilterPredicate compile(FieldType type, Object operand);
}
