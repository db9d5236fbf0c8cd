package io.mailroom.host.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.stream.IntStream;

/**
 * One action of a rule as it is stored: its type, its validated data (each value as the text
 * {@link io.mailroom.api.Settings} holds, defaults filled in), and which of the data are secret.
 * The secret names are stored beside the values so that a rule whose action's plugin is not
 * running can still be shown without its secrets, and opened when it runs again.
 */
public record StoredAction(String type, Map<String, String> data, List<String> secrets) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<StoredAction>> LIST = new TypeReference<>() {
    };

    public StoredAction {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    public Set<String> secretNames() {
        return Set.copyOf(secrets);
    }

    /** What a secret of a rule's action is sealed for: {@code rule:7:action:1:secret}, so it opens nowhere else. */
    public static String secretContext(long ruleId, int actionIndex, String name) {
        return "rule:" + ruleId + ":action:" + actionIndex + ":" + name;
    }

    /**
     * The actions of rule {@code ruleId} with {@code secret} applied to each secret value (seal,
     * open, reseal), given the context the value is sealed for ({@link #secretContext}).
     */
    public static List<StoredAction> withSecrets(long ruleId, List<StoredAction> actions, BinaryOperator<String> secret) {
        return IntStream.range(0, actions.size()).mapToObj(index -> {
            StoredAction action = actions.get(index);
            Map<String, String> data = new LinkedHashMap<>(action.data());
            for (String name : action.secrets()) {
                String value = data.get(name);
                if (value != null) {
                    data.put(name, secret.apply(value, secretContext(ruleId, index, name)));
                }
            }
            return new StoredAction(action.type(), data, action.secrets());
        }).toList();
    }

    /** The actions of a stored rule (its {@code actions} column, written by {@link #toJson}). */
    public static List<StoredAction> parse(String json) {
        try {
            return JSON.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored rule's actions are not readable", e);
        }
    }

    public static String toJson(List<StoredAction> actions) {
        try {
            return JSON.writeValueAsString(actions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rule actions cannot be written", e);
        }
    }
}
