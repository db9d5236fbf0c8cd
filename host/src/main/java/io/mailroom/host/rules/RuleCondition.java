package io.mailroom.host.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.host.filters.FilterCompiler;
import io.mailroom.host.filters.FilterException;
import io.mailroom.host.filters.MessageFilter;

/**
 * A stored rule's condition compiled now, with the operators available now. It was valid when
 * saved; it may no longer compile (an operator whose plugin was disabled since), and then the
 * rule runs on no message and says why, rather than failing whoever asked.
 *
 * @param filter  the compiled condition ({@link MessageFilter#ALL} for none), or {@code null}
 * @param problem why it does not compile, or {@code null}
 */
record RuleCondition(MessageFilter filter, String problem) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static RuleCondition compile(FilterCompiler compiler, String condition) {
        if (condition == null) {
            return new RuleCondition(MessageFilter.ALL, null);
        }
        try {
            return new RuleCondition(compiler.compile(tree(condition), "condition"), null);
        } catch (FilterException e) {
            return new RuleCondition(null, "the condition cannot be used now: " + e.describe());
        } catch (RuntimeException e) {
            // a plugin's operator failing in a way of its own: the rule stops, the caller does not
            return new RuleCondition(null, "the condition cannot be used now: an operator failed to compile it");
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored rule's condition is not JSON", e);
        }
    }
}
