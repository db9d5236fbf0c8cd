package io.mailroom.api.outbound;

import java.util.Map;
import java.util.Optional;

/**
 * The installation's mail templates ({@code /api/templates}: subject, text, html with
 * {@code {{variable}}} placeholders), rendered for an extension that sends mail (an
 * acknowledgement, an auto-reply). Values are escaped in the HTML part. Thread-safe.
 */
public interface Templates {

    /**
     * Renders a template.
     *
     * @param variables values by placeholder name: strings, numbers, booleans, maps and lists of them
     * @return the rendered parts, or empty when no template has this id
     */
    Optional<Rendered> render(long templateId, Map<String, Object> variables);

    /** A rendered template; {@code text} or {@code html} may be null when the template has none. */
    record Rendered(String subject, String text, String html) {
    }
}
