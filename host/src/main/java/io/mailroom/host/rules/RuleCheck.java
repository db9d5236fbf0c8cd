package io.mailroom.host.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.filters.FilterCompiler;
import io.mailroom.host.filters.IntakeSection;
import io.mailroom.host.mailboxes.Mailboxes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a rule sent by a client before anything is stored, and answers the first fault as a 400
 * naming its path: {@code name}, {@code condition.all[2].op} (the filter compiler's),
 * {@code actions[1].type} (an action no one serves: the message says which exist),
 * {@code actions[1].data.to} (the action's declared data, then its own check: {@link ActionCheck}),
 * {@code priority}. A field the resource does not have is refused.
 *
 * <p>On an update a field left out keeps its value; {@code actions}, when given, are given whole,
 * except that a secret datum left out of an action keeps its stored value when the action at the
 * same position has the same type (secrets are write-only: a client cannot send them back).
 */
final class RuleCheck {

    static final int MAX_NAME = 200;
    static final int MAX_ACTIONS = 20;
    static final int MAX_ACTIONS_JSON = 64 * 1024;
    static final int MIN_PRIORITY = -1_000_000;
    static final int MAX_PRIORITY = 1_000_000;
    static final int DEFAULT_PRIORITY = 100;

    private static final Set<String> FIELDS = new LinkedHashSet<>(List.of("mailbox_id", "name", "condition", "actions",
            "priority", "active", "stop"));

    private final Mailboxes mailboxes;
    private final FilterCompiler compiler;
    private final ActionCheck actionCheck;

    RuleCheck(Mailboxes mailboxes, FilterCompiler compiler, RuleActions actions) {
        this.mailboxes = mailboxes;
        this.compiler = compiler;
        this.actionCheck = new ActionCheck(actions);
    }

    /**
     * @param current the stored rule on an update, {@code null} on a create
     * @param opened  the stored rule's actions with secrets opened (empty on a create)
     */
    RuleDraft check(User caller, JsonNode body, Rule current, List<StoredAction> opened) {
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "invalid_json", "the body must be a JSON object", Map.of());
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw unknown(name, FIELDS);
            }
        }
        String name = body.has("name") ? name(body.get("name")) : current != null ? current.name() : null;
        if (name == null) {
            throw ApiException.invalid("name", "name is required: one line of at most " + MAX_NAME + " characters");
        }
        Long mailboxId = body.has("mailbox_id") ? mailbox(caller, body.get("mailbox_id"))
                : current != null ? current.mailboxId() : null;
        if (mailboxId == null && current != null && current.ownerUserId() != caller.id() && !caller.isSuperadmin()) {
            // a rule for all mailboxes runs on its owner's: made so by someone else, it would act on their mail
            throw ApiException.invalid("mailbox_id", "only the rule's owner (or a superadmin) may make it apply to all "
                    + "mailboxes; give one of your mailboxes");
        }
        String condition = body.has("condition") ? condition(body.get("condition"))
                : current != null ? current.condition() : null;
        List<StoredAction> checked = body.has("actions") ? actions(body.get("actions"), opened) : null;
        if (checked == null && current == null) {
            throw ApiException.invalid("actions", "actions is required: a list of 1 to " + MAX_ACTIONS
                    + " actions, each {\"type\": ..., \"data\": {...}}");
        }
        int priority = body.has("priority") ? priority(body.get("priority"))
                : current != null ? current.priority() : DEFAULT_PRIORITY;
        boolean active = body.has("active") ? bool(body.get("active"), "active")
                : current == null || current.active();
        boolean stop = body.has("stop") ? bool(body.get("stop"), "stop") : current != null && current.stop();
        return new RuleDraft(mailboxId, name, condition, checked, priority, active, stop);
    }

    private static String name(JsonNode node) {
        String name = node.isTextual() ? node.asText().strip() : "";
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("name", "name is required: one line of at most " + MAX_NAME + " characters");
        }
        return name;
    }

    /** The mailbox, which the caller must be able to see (another user's is a 404, as if it did not exist). */
    private Long mailbox(User caller, JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiException.invalid("mailbox_id", "mailbox_id is a mailbox's id, or null for all your mailboxes");
        }
        return mailboxes.visible(caller, node.asLong()).id();
    }

    private String condition(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        IntakeSection.checkFilter(compiler, node, "condition");
        return node.toString();
    }

    private static int priority(JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < MIN_PRIORITY || node.asInt() > MAX_PRIORITY) {
            throw ApiException.invalid("priority", "priority must be a whole number from " + MIN_PRIORITY + " to "
                    + MAX_PRIORITY + " (lower runs first)");
        }
        return node.asInt();
    }

    private static boolean bool(JsonNode node, String field) {
        if (!node.isBoolean()) {
            throw ApiException.invalid(field, field + " must be true or false");
        }
        return node.asBoolean();
    }

    private List<StoredAction> actions(JsonNode node, List<StoredAction> opened) {
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_ACTIONS) {
            throw ApiException.invalid("actions", "actions must be a list of 1 to " + MAX_ACTIONS
                    + " actions, each {\"type\": ..., \"data\": {...}}");
        }
        if (node.toString().length() > MAX_ACTIONS_JSON) {
            throw ApiException.invalid("actions", "actions is longer than " + MAX_ACTIONS_JSON + " characters of JSON");
        }
        List<StoredAction> checked = new ArrayList<>();
        for (int index = 0; index < node.size(); index++) {
            StoredAction previous = index < opened.size() ? opened.get(index) : null;
            checked.add(actionCheck.check(node.get(index), "actions[" + index + "]", previous));
        }
        return checked;
    }

    static ApiException unknown(String path, Set<String> known) {
        String shown = shorten(path);
        return new ApiException(400, "unknown_field", "unknown field " + shown + "; known fields are "
                + String.join(", ", known), Map.of("path", shown));
    }

    static String shorten(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
