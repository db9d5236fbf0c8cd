package io.mailroom.host.filters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * JSON trees for fuzzing the filter DSL: mostly shaped like filters (combinators, leaves with a
 * field, an operator and a value), with every part sometimes missing, of the wrong type, too
 * long, too deep or simply any JSON.
 */
public final class FilterTrees {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String[] OPS = {"equals", "contains", "starts_with", "ends_with", "matches", "in", "domain_in",
            "exists", "gt", "lt", "before", "after", "length_is", "EQUALS", "", "nope"};
    private static final String[] REGEXES = {"^inv", "(?i)re:\\s", "a{1000}", "a{100}{100}", "(", "[", "\\", "(a+)+$",
            "(?P<x>a)", "\\p{Greek}", "a{2}b{2}c{2}d{2}e{2}", "x*", ".*.*.*=.*", "\\x{10FFFF}", "(?=a)", "\\1"};
    private static final String[] STRINGS = {"", " ", "example.com", "@example.com", "invoice", "2026-01-31",
            "2026-01-31T12:00:00Z", "2026-13-45", "normal", "bulk", "inbound", "\u0000", "\ud800", "\u00e9t\u00e9",
            "x".repeat(1001), "y".repeat(20_000)};

    private FilterTrees() {
    }

    /** Any tree: mostly filter-shaped, sometimes any JSON at all. */
    public static JsonNode any(SplittableRandom random) {
        return random.nextInt(10) == 0 ? json(random, 0) : condition(random, 0, new int[] {MAX_NODES});
    }

    /** A tree meant to compile (a field, an operator that applies to it and a fitting value), sometimes wrong. */
    public static JsonNode likelyValid(SplittableRandom random) {
        return condition(random, 3, new int[] {MAX_NODES});
    }

    /** Conditions in one tree at most: a little over the compiler's limit of leaves, and quick to make. */
    private static final int MAX_NODES = 300;

    private static JsonNode condition(SplittableRandom random, int depth, int[] nodes) {
        int kind = random.nextInt(depth > 10 || --nodes[0] <= 0 ? 2 : 6);
        if (kind < 3) {
            return leaf(random);
        }
        if (kind == 3) {
            ObjectNode not = JSON.objectNode();
            not.set("not", condition(random, depth + 1, nodes));
            maybeJunk(random, not);
            return not;
        }
        ObjectNode combined = JSON.objectNode();
        ArrayNode parts = combined.putArray(random.nextBoolean() ? "all" : "any");
        for (int i = random.nextInt(random.nextInt(30) == 0 ? 120 : 4); i >= 0; i--) {
            parts.add(random.nextInt(25) == 0 ? json(random, depth) : condition(random, depth + 1, nodes));
        }
        maybeJunk(random, combined);
        return combined;
    }

    private static ObjectNode leaf(SplittableRandom random) {
        ObjectNode leaf = JSON.objectNode();
        List<String> fields = new ArrayList<>(FilterField.FIELDS.keySet());
        int fieldKind = random.nextInt(12);
        if (fieldKind < 9) {
            leaf.put("field", fields.get(random.nextInt(fields.size())));
        } else if (fieldKind == 9) {
            leaf.put("field", random.nextBoolean() ? "header:X-Spam-Flag" : "header:" + pick(random, "", " ", ":", "a".repeat(80),
                    "List-Id", "\u00e9"));
        } else if (fieldKind == 10) {
            leaf.set("field", json(random, 3));
        }
        if (random.nextInt(15) != 0) {
            leaf.put("op", OPS[random.nextInt(OPS.length)]);
        } else if (random.nextBoolean()) {
            leaf.set("op", json(random, 3));
        }
        if (random.nextInt(12) != 0) {
            leaf.set("value", value(random, leaf.path("op").asText()));
        }
        maybeJunk(random, leaf);
        return leaf;
    }

    private static JsonNode value(SplittableRandom random, String op) {
        if (random.nextInt(6) == 0) {
            return json(random, 2);
        }
        return switch (op) {
            case "matches" -> JSON.textNode(REGEXES[random.nextInt(REGEXES.length)]);
            case "in", "domain_in" -> {
                ArrayNode list = JSON.arrayNode();
                for (int i = random.nextInt(random.nextInt(20) == 0 ? 1100 : 4); i > 0; i--) {
                    list.add(random.nextInt(10) == 0 ? json(random, 3) : JSON.textNode(STRINGS[random.nextInt(STRINGS.length)]));
                }
                yield list;
            }
            case "gt", "lt", "length_is" -> number(random);
            case "exists" -> JSON.booleanNode(random.nextBoolean());
            default -> JSON.textNode(STRINGS[random.nextInt(STRINGS.length)]);
        };
    }

    private static JsonNode number(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> JSON.numberNode(random.nextInt(100_000));
            case 1 -> JSON.numberNode(random.nextLong());
            case 2 -> JSON.numberNode(new BigInteger("9".repeat(1 + random.nextInt(40))));
            case 3 -> JSON.numberNode(random.nextDouble() * 1e6);
            case 4 -> JSON.numberNode(-random.nextInt(10));
            default -> JSON.textNode("12");
        };
    }

    private static void maybeJunk(SplittableRandom random, ObjectNode node) {
        if (random.nextInt(20) == 0) {
            node.set(pick(random, "all", "any", "not", "field", "op", "value", "x", ""), json(random, 3));
        }
    }

    /** Any JSON value. */
    static JsonNode json(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 4 ? 6 : 8);
        return switch (kind) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.booleanNode(random.nextBoolean());
            case 2 -> number(random);
            case 3, 4 -> JSON.textNode(random.nextBoolean() ? STRINGS[random.nextInt(STRINGS.length)] : OPS[random.nextInt(OPS.length)]);
            case 5 -> JSON.objectNode();
            case 6 -> {
                ArrayNode array = JSON.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(json(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = JSON.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(pick(random, "all", "any", "not", "field", "op", "value", "x", "\u0000"), json(random, depth + 1));
                }
                yield object;
            }
        };
    }

    private static String pick(SplittableRandom random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
