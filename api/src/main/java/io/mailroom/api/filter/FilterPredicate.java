package io.mailroom.api.filter;

import java.util.List;

/**
 * A compiled condition: whether a field's values match. {@code values} are of the Java type of
 * the field's {@link FieldType}, possibly none (a message without attachments has no
 * {@code attachment_name}). Called from many threads at once; must not block and must run in time
 * linear in its input, since it runs on every message of a sync.
 */
@FunctionalInterface
public interface FilterPredicate {

    boolean test(List<?> values);
}
