package io.mailroom.host.secrets;

import io.mailroom.api.SettingDescriptor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seals and opens the secret values of an extension's settings (those whose descriptor is
 * {@link SettingDescriptor#secret()}), and shows settings without their secrets. Each secret is
 * bound to its owner and name ({@code mailbox:12} + {@code password}), so it opens nowhere else.
 */
public final class SealedSettings {

    private final SecretSealer sealer;

    public SealedSettings(SecretSealer sealer) {
        this.sealer = sealer;
    }

    /** The values to store: secrets sealed, the rest as given. */
    public Map<String, String> seal(Map<String, String> values, List<SettingDescriptor> descriptors, String owner) {
        return transform(values, descriptors, (name, value) -> sealer.seal(value, owner + ":" + name));
    }

    /** The values an extension gets: secrets opened. */
    public Map<String, String> open(Map<String, String> stored, List<SettingDescriptor> descriptors, String owner) {
        return transform(stored, descriptors, (name, value) -> sealer.open(value, owner + ":" + name));
    }

    /**
     * The values the API shows: typed as declared, each secret replaced by
     * {@code "<name>_set": true}.
     */
    public static Map<String, Object> redacted(Map<String, String> values, List<SettingDescriptor> descriptors) {
        Map<String, Object> shown = new LinkedHashMap<>();
        for (SettingDescriptor descriptor : descriptors) {
            String value = values.get(descriptor.name());
            if (descriptor.secret()) {
                shown.put(descriptor.name() + "_set", value != null && !value.isEmpty());
            } else if (value != null) {
                shown.put(descriptor.name(), switch (descriptor.type()) {
                    case INTEGER -> Long.parseLong(value);
                    case BOOLEAN -> Boolean.parseBoolean(value);
                    case STRING, CHOICE -> value;
                    case LIST -> value.isEmpty() ? List.of() : List.of(value.split("\n"));
                });
            }
        }
        return shown;
    }

    private static Map<String, String> transform(Map<String, String> values, List<SettingDescriptor> descriptors,
                                                 java.util.function.BinaryOperator<String> secret) {
        Map<String, String> out = new LinkedHashMap<>(values);
        for (SettingDescriptor descriptor : descriptors) {
            String value = values.get(descriptor.name());
            if (descriptor.secret() && value != null) {
                out.put(descriptor.name(), secret.apply(descriptor.name(), value));
            }
        }
        return out;
    }
}
