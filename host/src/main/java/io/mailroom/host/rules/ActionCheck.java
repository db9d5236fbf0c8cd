package io.mailroom.host.rules;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.InvalidSettingException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.plugins.SettingsValidator;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one action of a rule as a client sent it ({@code {"type": ..., "data": {...}}}): the type
 * must name an action that is built in or served by a started plugin; the data must be what the
 * action declares ({@link SettingsValidator}, paths {@code actions[1].data.to}), and then pass the
 * action's own {@link RuleAction#checkData}. A plugin's action failing in a way of its own is
 * refused without its internals.
 */
final class ActionCheck {

    private static final Set<String> FIELDS = Set.of("type", "data");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final RuleActions actions;

    ActionCheck(RuleActions actions) {
        this.actions = actions;
    }

    /**
     * The action to store, secrets in clear.
     *
     * @param path     where it is in the request, {@code actions[1]}
     * @param previous the stored action at the same position, secrets opened, or {@code null}: a
     *                 secret left out is kept from it when it has the same type
     */
    StoredAction check(JsonNode node, String path, StoredAction previous) {
        if (!node.isObject()) {
            throw ApiException.invalid(path, "an action is an object: {\"type\": ..., \"data\": {...}}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw RuleCheck.unknown(path + "." + name, FIELDS);
            }
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual() || typeNode.asText().isBlank()) {
            throw ApiException.invalid(path + ".type", "type is required: " + known());
        }
        String type = typeNode.asText();
        RuleAction action = actions.find(type).orElseThrow(() -> ApiException.invalid(path + ".type",
                "there is no action \"" + RuleCheck.shorten(type) + "\" (neither built in nor from a started plugin); " + known()));
        List<SettingDescriptor> declared;
        SettingsValidator validator;
        try {
            declared = List.copyOf(action.dataSettings());
            validator = new SettingsValidator(declared);
        } catch (RuntimeException e) {
            throw ApiException.invalid(path + ".type", "action " + type + " declares its data wrongly; it cannot be used");
        }
        JsonNode dataNode = node.get("data");
        if (dataNode != null && !dataNode.isNull() && !dataNode.isObject()) {
            throw ApiException.invalid(path + ".data", "data must be an object of the action's settings");
        }
        Map<String, Object> given = dataNode == null || dataNode.isNull() ? new LinkedHashMap<>()
                : JSON.convertValue(dataNode, MAP);
        if (previous != null && previous.type().equals(type)) {
            for (SettingDescriptor setting : declared) {
                String kept = previous.data().get(setting.name());
                if (setting.secret() && !given.containsKey(setting.name()) && kept != null) {
                    given.put(setting.name(), typed(setting, kept));
                }
            }
        }
        Map<String, String> data = validator.validate(path + ".data", given);
        List<String> secrets = declared.stream().filter(SettingDescriptor::secret).map(SettingDescriptor::name)
                .filter(data::containsKey).toList();
        try {
            action.checkData(Settings.of(data, Set.copyOf(secrets)));
        } catch (InvalidSettingException e) {
            throw ApiException.invalid(path + ".data." + e.setting(), e.getMessage() == null
                    ? e.setting() + " is not usable with " + type : e.getMessage());
        } catch (RuntimeException e) {
            // a plugin's check failing in a way of its own: refused, without its internals
            throw ApiException.invalid(path + ".data", "action " + type + " could not check its data");
        }
        return new StoredAction(type, data, secrets);
    }

    /** A stored value as a client would have sent it, so the validator reads it again. */
    private static Object typed(SettingDescriptor setting, String value) {
        return setting.type() == SettingType.LIST ? (value.isEmpty() ? List.of() : List.of(value.split("\n"))) : value;
    }

    private String known() {
        List<String> ids = actions.ids();
        return ids.isEmpty() ? "no actions are available" : "the actions are " + String.join(", ", ids);
    }
}
