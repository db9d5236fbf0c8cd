package io.mailroom.testkit.context;

import io.mailroom.api.outbound.Templates;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Templates a test declares, rendered by plain {@code {{name}}} replacement (one pass, no
 * sections, no HTML escaping): enough to see which variables a plugin passes.
 */
public final class FakeTemplates implements Templates {

    private final Map<Long, Rendered> templates = new ConcurrentHashMap<>();

    /** Adds a template with placeholders; {@code text} or {@code html} may be null. */
    public FakeTemplates add(long id, String subject, String text, String html) {
        templates.put(id, new Rendered(subject, text, html));
        return this;
    }

    @Override
    public Optional<Rendered> render(long templateId, Map<String, Object> variables) {
        Rendered template = templates.get(templateId);
        if (template == null) {
            return Optional.empty();
        }
        return Optional.of(new Rendered(fill(template.subject(), variables), fill(template.text(), variables),
                fill(template.html(), variables)));
    }

    private static String fill(String text, Map<String, Object> variables) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (true) {
            int open = text.indexOf("{{", from);
            int close = open < 0 ? -1 : text.indexOf("}}", open + 2);
            if (close < 0) {
                out.append(text, from, text.length());
                return out.toString();
            }
            out.append(text, from, open);
            Object value = variables.get(text.substring(open + 2, close).strip());
            out.append(value == null ? "" : value);
            from = close + 2;
        }
    }
}
