package io.mailroom.api.filter;

import io.mailroom.api.Extension;

import java.util.List;

/**
 * One operator of the JSON filter DSL ({@code equals}, {@code contains}, {@code domain_in}…).
 * A condition reads {@code {"field": "from.email", "op": "<id>", "value": <operand>}}; the host
 * resolves the field to its values and asks the operator whether they match the operand.
 *
 * <p>Lifecycle and threading: stateless, one instance, called from many threads. Operands are
 * JSON values as Java objects: {@code String}, {@code Number}, {@code Boolean}, {@code List},
 * {@code Map}, or {@code null}.
 */
public interface FilterOperator extends Extension {

    /**
     * Checks an operand when a filter is saved or validated, so bad filters fail then and not
     * during a sync.
     *
     * @throws IllegalArgumentException with a sentence for the admin when the operand is unusable
     */
    default void checkOperand(Object operand) {
    }

    /**
     * Whether the field's values match the operand. A field may have several values (every
     * {@code to} address) or none.
     */
    boolean matches(List<String> fieldValues, Object operand);
}
