package io.mailroom.host.filters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.filter.FieldType;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.filter.FilterPredicate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Checks a filter and compiles it, once: on save (a 400 naming the path of the first fault), and
 * when a sync loads a mailbox's stored filter. The grammar:
 * <pre>
 *   condition = {"all": [condition, …]} | {"any": [condition, …]} | {"not": condition}
 *             | {"field": field, "op": operator, "value": operand}
 * </pre>
 * Bounded so that a filter costs little to store and to run: {@value #MAX_DEPTH} combinators
 * deep, {@value #MAX_LEAVES} conditions, an operand of at most {@value #MAX_OPERAND} characters
 * of JSON (a built-in operator's strings at most 1000 each).
 */
public final class FilterCompiler {

    public static final int MAX_DEPTH = 8;
    public static final int MAX_LEAVES = 100;
    public static final int MAX_OPERAND = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LEAF_KEYS = Set.of("field", "op", "value");
    private static final Set<String> COMBINATORS = Set.of("all", "any", "not");

    private final FilterOperators operators;

    public FilterCompiler(FilterOperators operators) {
        this.operators = operators;
    }

    /**
     * The filter {@code query} compiles to; a JSON null or a missing query matches every message.
     *
     * @param root the path of the query in the request, e.g. {@code filter_query}
     * @throws FilterException at the first fault, with its path
     */
    public MessageFilter compile(JsonNode query, String root) {
        if (query == null || query.isNull() || query.isMissingNode()) {
            return MessageFilter.ALL;
        }
        return node(query, root, 0, new int[1]);
    }

    private MessageFilter node(JsonNode node, String path, int depth, int[] leaves) {
        if (!node.isObject() || node.isEmpty()) {
            throw new FilterException(path, "a condition is an object: {\"all\": [...]}, {\"any\": [...]}, "
                    + "{\"not\": {...}} or {\"field\": ..., \"op\": ..., \"value\": ...}");
        }
        String combinator = null;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (combinator == null && COMBINATORS.contains(name)) {
                combinator = name;
            }
        }
        if (combinator == null) {
            return leaf(node, path, leaves);
        }
        if (node.size() != 1) {
            String other = firstOther(node, combinator);
            throw new FilterException(path + "." + other, "\"" + combinator + "\" stands alone in its object; "
                    + "put \"" + other + "\" in a condition of its own");
        }
        if (depth >= MAX_DEPTH) {
            throw new FilterException(path + "." + combinator, "conditions nest at most " + MAX_DEPTH + " deep");
        }
        JsonNode inner = node.get(combinator);
        if (combinator.equals("not")) {
            MessageFilter negated = node(inner, path + ".not", depth + 1, leaves);
            return facts -> !negated.test(facts);
        }
        if (!inner.isArray() || inner.isEmpty()) {
            throw new FilterException(path + "." + combinator, "\"" + combinator + "\" takes a non-empty list of conditions");
        }
        List<MessageFilter> parts = new ArrayList<>();
        for (int i = 0; i < inner.size(); i++) {
            parts.add(node(inner.get(i), path + "." + combinator + "[" + i + "]", depth + 1, leaves));
        }
        MessageFilter[] compiled = parts.toArray(MessageFilter[]::new);
        return combinator.equals("all") ? facts -> {
            for (MessageFilter part : compiled) {
                if (!part.test(facts)) {
                    return false;
                }
            }
            return true;
        } : facts -> {
            for (MessageFilter part : compiled) {
                if (part.test(facts)) {
                    return true;
                }
            }
            return false;
        };
    }

    private MessageFilter leaf(JsonNode node, String path, int[] leaves) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!LEAF_KEYS.contains(name)) {
                throw new FilterException(path + "." + name, "unknown key \"" + name + "\"; a condition has \"field\", "
                        + "\"op\" and \"value\", or is one of \"all\", \"any\", \"not\"");
            }
        }
        if (++leaves[0] > MAX_LEAVES) {
            throw new FilterException(path, "a filter has at most " + MAX_LEAVES + " conditions");
        }
        JsonNode fieldNode = node.get("field");
        if (fieldNode == null || !fieldNode.isTextual()) {
            throw new FilterException(path + ".field", "field is required: one of " + String.join(", ",
                    FilterField.FIELDS.keySet()) + ", or header:<Name>");
        }
        String field = fieldNode.asText();
        FieldType type = FilterField.typeOf(field).orElseThrow(() -> new FilterException(path + ".field",
                "there is no field \"" + shorten(field) + "\"; the fields are " + String.join(", ",
                        FilterField.FIELDS.keySet()) + ", and header:<Name>"));
        JsonNode opNode = node.get("op");
        if (opNode == null || !opNode.isTextual()) {
            throw new FilterException(path + ".op", "op is required, e.g. equals, contains, matches");
        }
        String id = opNode.asText();
        FilterOperator operator = operators.find(id).orElseThrow(() -> new FilterException(path + ".op",
                "there is no operator \"" + shorten(id) + "\" (neither built in nor from a started plugin)"));
        if (!operator.types().contains(type)) {
            throw new FilterException(path + ".op", "operator " + id + " does not apply to " + field + ", a "
                    + type.id() + " field");
        }
        JsonNode value = node.get("value");
        if (value != null && value.toString().length() > MAX_OPERAND) {
            throw new FilterException(path + ".value", "value is longer than " + MAX_OPERAND + " characters of JSON");
        }
        Object operand = value == null || value.isNull() ? null : JSON.convertValue(value, Object.class);
        FilterPredicate predicate;
        try {
            predicate = operator.compile(type, operand);
        } catch (IllegalArgumentException e) {
            throw new FilterException(path + ".value", e.getMessage() == null ? "value is not usable with " + id
                    : e.getMessage());
        } catch (RuntimeException e) {
            // a plugin's operator that fails otherwise: refused, without its internals
            throw new FilterException(path + ".op", "operator " + id + " failed to read its value");
        }
        if (predicate == null) {
            throw new FilterException(path + ".op", "operator " + id + " failed to read its value");
        }
        return facts -> predicate.test(facts.values(field));
    }

    private static String firstOther(JsonNode node, String combinator) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.stream().filter(name -> !name.equals(combinator)).findFirst().orElse(combinator);
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
