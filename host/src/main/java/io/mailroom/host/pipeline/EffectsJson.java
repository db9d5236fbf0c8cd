package io.mailroom.host.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.Effect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The effects a recorded step asked for, as stored with it ({@code processing_steps.effects}),
 * so that a chain taken again replays them without running the step.
 */
final class EffectsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EffectsJson() {
    }

    /** The effects as JSON: {@code [{"type": "tag", "value": "urgent"}, {"type": "flag"}]}. */
    static String write(List<Effect> effects) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Effect effect : effects) {
            out.add(switch (effect) {
                case Effect.Tag tag -> Map.of("type", "tag", "value", tag.tag());
                case Effect.Untag untag -> Map.of("type", "untag", "value", untag.tag());
                case Effect.MarkSeen ignored -> Map.of("type", "mark_seen");
                case Effect.Flag ignored -> Map.of("type", "flag");
                case Effect.MoveTo move -> Map.of("type", "move", "value", move.folder());
                case Effect.AssignSink assign -> Map.of("type", "assign_sink", "value", assign.sinkId());
            });
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The effects written by {@link #write}; an entry of an unknown type is left out. */
    static List<Effect> read(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<Effect> effects = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode node : JSON.readTree(json)) {
                String value = node.path("value").asText();
                switch (node.path("type").asText()) {
                    case "tag" -> effects.add(new Effect.Tag(value));
                    case "untag" -> effects.add(new Effect.Untag(value));
                    case "mark_seen" -> effects.add(new Effect.MarkSeen());
                    case "flag" -> effects.add(new Effect.Flag());
                    case "move" -> effects.add(new Effect.MoveTo(value));
                    case "assign_sink" -> effects.add(new Effect.AssignSink(value));
                    default -> {
                    }
                }
            }
            return effects;
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
