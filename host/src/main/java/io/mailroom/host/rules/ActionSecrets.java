package io.mailroom.host.rules;

import io.mailroom.host.secrets.SecretSealer;

import java.util.List;

/** Seals and opens the secret data of a rule's actions ({@link StoredAction#withSecrets}). */
final class ActionSecrets {

    private final SecretSealer sealer;

    ActionSecrets(SecretSealer sealer) {
        this.sealer = sealer;
    }

    /** The actions to store: secrets sealed. */
    List<StoredAction> seal(long ruleId, List<StoredAction> clear) {
        return StoredAction.withSecrets(ruleId, clear, sealer::seal);
    }

    /**
     * The actions with their secrets opened.
     *
     * @throws io.mailroom.host.secrets.SealedSecretException when one does not open (its key is gone)
     */
    List<StoredAction> open(long ruleId, List<StoredAction> sealed) {
        return StoredAction.withSecrets(ruleId, sealed, sealer::open);
    }
}
