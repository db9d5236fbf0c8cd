package io.mailroom.host.templates;

import io.mailroom.api.outbound.Templates;
import io.mailroom.host.errors.ApiException;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;
import java.util.Optional;

/**
 * {@link Templates} for plugins: any template of the installation, by id, rendered by the host's
 * {@link TemplateRenderer} (values HTML-escaped in the html part, a missing variable renders
 * empty).
 */
public record PluginTemplates(Jdbi jdbi, TemplateRenderer renderer) implements Templates {

    @Override
    public Optional<Rendered> render(long templateId, Map<String, Object> variables) {
        return jdbi.onDemand(TemplateDao.class).findVisible(templateId, null).map(template -> {
            try {
                TemplateRenderer.Rendered rendered = renderer.render(template, variables);
                return new Rendered(rendered.subject(), rendered.text(), rendered.html());
            } catch (ApiException e) {
                throw new IllegalArgumentException("template " + templateId + ": " + e.getMessage());
            }
        });
    }
}
