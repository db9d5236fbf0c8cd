package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.plugins.SettingsValidator;
import io.mailroom.host.secrets.SealedSettings;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mailbox fields {@code sink} (a {@link TicketSink} id, or null for none) and
 * {@code sink_settings} (checked against the sink's {@link TicketSink#mailboxSettings()} with the
 * {@link SettingsValidator}, secrets sealed for {@code mailbox:<id>:sink} and shown only as
 * {@code <name>_set}), kept in two columns of {@code mailboxes}. Also {@code sink_error}: why the
 * sink cannot run now (its plugin is not started), or null; the processing chain then records the
 * sink step as failed and leaves the message where it is.
 *
 * <p>Given together, or {@code sink} alone (its settings then start empty), they are checked
 * before anything is saved. {@code sink_settings} alone replaces the settings of the sink the
 * mailbox has; a secret left out is kept.
 */
public final class SinkSection implements MailboxSection {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Jdbi jdbi;
    private final PluginHost plugins;
    private final SealedSettings sealed;

    private SinkSection(String name, Jdbi jdbi, PluginHost plugins, SealedSettings sealed) {
        this.name = name;
        this.jdbi = jdbi;
        this.plugins = plugins;
        this.sealed = sealed;
    }

    /** {@code sink} (checked and saved with its settings), {@code sink_settings} and {@code sink_error} (shown). */
    public static List<MailboxSection> all(Jdbi jdbi, PluginHost plugins, SealedSettings sealed) {
        return List.of(new SinkSection("sink", jdbi, plugins, sealed), new SinkSection("sink_settings", jdbi, plugins, sealed),
                new SinkSection("sink_error", jdbi, plugins, sealed));
    }

    /** What the input gives for the sink: {@code {"sink": …, "sink_settings": …}} with what was sent, or null. */
    static JsonNode given(MailboxInput input) {
        if (input.sink() == null && input.sinkSettings() == null) {
            return null;
        }
        ObjectNode given = JSON.createObjectNode();
        if (input.sink() != null) {
            given.set("sink", input.sink());
        }
        if (input.sinkSettings() != null) {
            given.set("sink_settings", input.sinkSettings());
        }
        return given;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void check(JsonNode given) {
        if (!given.has("sink")) {
            return; // settings alone are checked against the mailbox's sink when saved
        }
        JsonNode sink = given.get("sink");
        if (sink.isNull()) {
            return;
        }
        validate(sinkOf(sink), given.get("sink_settings"), Map.of());
    }

    @Override
    public void save(Mailbox mailbox, JsonNode given) {
        MailboxSinkDao dao = jdbi.onDemand(MailboxSinkDao.class);
        MailboxSinkDao.MailboxSink before = dao.find(mailbox.id()).orElse(new MailboxSinkDao.MailboxSink(null, "{}"));
        String sinkId = given.has("sink") ? (given.get("sink").isNull() ? null : given.get("sink").asText()) : before.sink();
        if (sinkId == null) {
            dao.set(mailbox.id(), null, "{}");
            return;
        }
        TicketSink sink = sinkOf(given.has("sink") ? given.get("sink") : JSON.getNodeFactory().textNode(sinkId));
        Map<String, String> kept = sinkId.equals(before.sink()) ? read(before.settings()) : Map.of();
        Map<String, String> valid = validate(sink, given.get("sink_settings"), kept);
        Map<String, String> toStore = new LinkedHashMap<>();
        Map<String, String> toSeal = new LinkedHashMap<>();
        for (Map.Entry<String, String> value : valid.entrySet()) {
            if (value.getValue() == KEPT) {
                toStore.put(value.getKey(), kept.get(value.getKey())); // still sealed as stored
            } else {
                toSeal.put(value.getKey(), value.getValue());
            }
        }
        toStore.putAll(sealed.seal(toSeal, sink.mailboxSettings(), MailboxSinkDao.secretOwner(mailbox.id())));
        try {
            dao.set(mailbox.id(), sinkId, JSON.writeValueAsString(toStore));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marks a secret left out whose stored (sealed) value is kept. */
    private static final String KEPT = new String("\u0000kept");

    /** The validated settings; a secret left out that {@code kept} holds passes as {@link #KEPT}. */
    private static Map<String, String> validate(TicketSink sink, JsonNode given, Map<String, String> kept) {
        if (given != null && !given.isNull() && !given.isObject()) {
            throw ApiException.invalid("sink_settings", "sink_settings must be an object");
        }
        Map<String, Object> values = given == null || given.isNull() ? new LinkedHashMap<>()
                : JSON.convertValue(given, new TypeReference<LinkedHashMap<String, Object>>() {
                });
        List<String> keptSecrets = sink.mailboxSettings().stream().filter(SettingDescriptor::secret)
                .map(SettingDescriptor::name).filter(n -> values.get(n) == null && kept.containsKey(n)).toList();
        keptSecrets.forEach(n -> values.put(n, "kept"));
        Map<String, String> valid = new LinkedHashMap<>(new SettingsValidator(sink.mailboxSettings()).validate("sink_settings", values));
        keptSecrets.forEach(n -> valid.put(n, KEPT));
        return valid;
    }

    private TicketSink sinkOf(JsonNode sink) {
        if (!sink.isTextual() || sink.asText().isBlank()) {
            throw ApiException.invalid("sink", "sink must be the id of a ticket sink, or null");
        }
        return plugins.extension(TicketSink.class, sink.asText()).orElseThrow(() -> ApiException.invalid("sink",
                "no started plugin serves the ticket sink '" + sink.asText() + "'; available: "
                        + plugins.extensions(TicketSink.class).stream().map(TicketSink::id).toList()));
    }

    @Override
    public Object show(Mailbox mailbox) {
        MailboxSinkDao.MailboxSink stored = jdbi.onDemand(MailboxSinkDao.class).find(mailbox.id()).orElse(null);
        if (stored == null || stored.sink() == null) {
            return name.equals("sink_settings") ? Map.of() : null;
        }
        Optional<TicketSink> sink = plugins.extension(TicketSink.class, stored.sink());
        return switch (name) {
            case "sink" -> stored.sink();
            case "sink_error" -> sink.isPresent() ? null
                    : "the sink '" + stored.sink() + "' is not available: its plugin is not started; messages stay where they are";
            default -> {
                Map<String, String> values = read(stored.settings());
                if (sink.isPresent()) {
                    yield SealedSettings.redacted(values, sink.get().mailboxSettings());
                }
                // which of them are secret is unknown without the plugin: none is shown
                Map<String, Object> shown = new LinkedHashMap<>();
                values.keySet().forEach(key -> shown.put(key + "_set", true));
                yield shown;
            }
        };
    }

    private static Map<String, String> read(String json) {
        try {
            return JSON.readValue(json == null ? "{}" : json, new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (IOException e) {
            return Map.of();
        }
    }
}
