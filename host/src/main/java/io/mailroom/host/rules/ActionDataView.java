package io.mailroom.host.rules;

import io.mailroom.api.SettingDescriptor;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An action's data as the API shows it: typed as the action declares them, each secret as
 * {@code "<name>_set": true} and never its value. Works without the action too (its plugin not
 * running): the values are then shown as text, and the stored secret names still hide secrets.
 */
final class ActionDataView {

    private static final int MAX_SUMMARY_VALUE = 80;
    private static final int MAX_SUMMARY = 300;

    private ActionDataView() {
    }

    /** The data to show; {@code declared} is empty when the action is not available. */
    static Map<String, Object> shown(StoredAction action, List<SettingDescriptor> declared) {
        Map<String, SettingDescriptor> byName = declared.stream()
                .collect(Collectors.toMap(SettingDescriptor::name, d -> d, (a, b) -> a, LinkedHashMap::new));
        Set<String> names = new LinkedHashSet<>(byName.keySet());
        names.addAll(action.data().keySet());
        Map<String, Object> shown = new LinkedHashMap<>();
        for (String name : names) {
            SettingDescriptor setting = byName.get(name);
            String value = action.data().get(name);
            if (action.secrets().contains(name) || setting != null && setting.secret()) {
                shown.put(name + "_set", value != null && !value.isEmpty());
            } else if (value != null) {
                shown.put(name, setting == null ? value : typed(setting, value));
            }
        }
        return shown;
    }

    /** One line for a preview: {@code to: ann@acme.com, bob@acme.com; attach: true; secret: set}. */
    static String summary(StoredAction action, List<SettingDescriptor> declared) {
        StringBuilder line = new StringBuilder();
        shown(action, declared).forEach((name, value) -> {
            if (!line.isEmpty()) {
                line.append("; ");
            }
            if (name.endsWith("_set") && value instanceof Boolean set && !action.data().containsKey(name)) {
                line.append(name, 0, name.length() - 4).append(": ").append(set ? "set" : "not set");
            } else {
                String text = value instanceof List<?> items ? items.stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")) : String.valueOf(value);
                line.append(name).append(": ").append(text.length() <= MAX_SUMMARY_VALUE ? text
                        : text.substring(0, MAX_SUMMARY_VALUE) + "…");
            }
        });
        return line.length() <= MAX_SUMMARY ? line.toString() : line.substring(0, MAX_SUMMARY) + "…";
    }

    /** The action's declared data, or none when it is not available or fails to say. */
    static List<SettingDescriptor> declared(RuleActions actions, String type) {
        try {
            return actions.find(type).map(action -> List.copyOf(action.dataSettings())).orElse(List.of());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static Optional<String> unavailable(RuleActions actions, int index, String type) {
        return actions.find(type).isPresent() ? Optional.empty()
                : Optional.of("action " + index + " (" + type + ") is not available now: neither built in nor from a "
                + "started plugin");
    }

    private static Object typed(SettingDescriptor setting, String value) {
        try {
            return switch (setting.type()) {
                case INTEGER -> Long.parseLong(value);
                case BOOLEAN -> Boolean.parseBoolean(value);
                case STRING, CHOICE -> value;
                case LIST -> value.isEmpty() ? List.of() : List.of(value.split("\n"));
            };
        } catch (NumberFormatException e) {
            // stored before the action changed the setting's type: shown as it is
            return value;
        }
    }
}
