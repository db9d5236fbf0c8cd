package io.mailroom.host.rules;

import io.mailroom.host.secrets.SecretSealer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Seals and opens the secret data of a rule's actions. Each value is bound to its rule, its
 * action's position and its name ({@code rule:7:action:1:secret}), so a sealed value copied to
 * another rule or action does not open there.
 */
final class ActionSecrets {

    private final SecretSealer sealer;

    ActionSecrets(SecretSealer sealer) {
        this.sealer = sealer;
    }

    /** The actions to store: secrets sealed. */
    List<StoredAction> seal(long ruleId, List<StoredAction> clear) {
        return each(ruleId, clear, sealer::seal);
    }

    /**
     * The actions with their secrets opened.
     *
     * @throws io.mailroom.host.secrets.SealedSecretException when one does not open (its key is gone)
     */
    List<StoredAction> open(long ruleId, List<StoredAction> sealed) {
        return each(ruleId, sealed, sealer::open);
    }

    private static List<StoredAction> each(long ruleId, List<StoredAction> actions, BinaryOperator<String> secret) {
        return java.util.stream.IntStream.range(0, actions.size()).mapToObj(index -> {
            StoredAction action = actions.get(index);
            Map<String, String> data = new LinkedHashMap<>(action.data());
            for (String name : action.secrets()) {
                String value = data.get(name);
                if (value != null) {
                    data.put(name, secret.apply(value, StoredAction.secretContext(ruleId, index, name)));
                }
            }
            return new StoredAction(action.type(), data, action.secrets());
        }).toList();
    }
}
