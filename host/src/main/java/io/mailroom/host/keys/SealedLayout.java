package io.mailroom.host.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailroom.host.rules.StoredAction;
import io.mailroom.host.secrets.SecretSealer;

import java.util.List;
import java.util.function.BiFunction;

/** How a column holds its sealed secrets, and how to give each one to a resealing function. */
enum SealedLayout {

    /** The column is one sealed string. */
    PLAIN {
        @Override
        String each(String stored, String context, BiFunction<String, String, String> secret) {
            return secret.apply(stored, context);
        }
    },

    /**
     * A JSON object of settings whose secret values are sealed for {@code <owner>:<name>}
     * (host/secrets SealedSettings). A sealed value is recognised by its form, so plugins need not
     * be loaded to know which settings are secret.
     */
    SETTINGS {
        @Override
        String each(String stored, String owner, BiFunction<String, String, String> secret) {
            try {
                ObjectNode settings = (ObjectNode) JSON.readTree(stored);
                ObjectNode out = settings.deepCopy();
                settings.properties().forEach(entry -> {
                    String value = entry.getValue().isTextual() ? entry.getValue().asText() : null;
                    if (SecretSealer.looksSealed(value)) {
                        out.put(entry.getKey(), secret.apply(value, owner + ":" + entry.getKey()));
                    }
                });
                return out.equals(settings) ? stored : JSON.writeValueAsString(out);
            } catch (JsonProcessingException | ClassCastException e) {
                throw new IllegalStateException("not a JSON object of settings");
            }
        }
    },

    /** A rule's actions (host/rules StoredAction): the values named in each action's {@code secrets}. */
    RULE_ACTIONS {
        @Override
        String each(String stored, String ruleId, BiFunction<String, String, String> secret) {
            List<StoredAction> actions = StoredAction.parse(stored);
            List<StoredAction> out = StoredAction.withSecrets(Long.parseLong(ruleId), actions, secret::apply);
            return out.equals(actions) ? stored : StoredAction.toJson(out);
        }
    };

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The stored value with {@code secret} applied to each sealed secret in it (with its context);
     * {@code stored} itself when nothing changed.
     */
    abstract String each(String stored, String context, BiFunction<String, String, String> secret);
}
