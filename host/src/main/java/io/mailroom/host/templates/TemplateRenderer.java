package io.mailroom.host.templates;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import io.mailroom.host.errors.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders templates with JMustache: values are HTML-escaped in the html body and left as they
 * are in the subject and text; a variable the context lacks renders empty and is reported, so a
 * caller sees a typo instead of mail with a silent hole. Partials are not offered: a template
 * cannot read files or other templates.
 */
public final class TemplateRenderer {

    private static final Mustache.TemplateLoader NO_PARTIALS = name -> {
        throw new IllegalArgumentException("partials are not supported");
    };
    private final Mustache.Compiler html = Mustache.compiler().escapeHTML(true).defaultValue("")
            .withLoader(NO_PARTIALS);
    private final Mustache.Compiler plain = Mustache.compiler().escapeHTML(false).defaultValue("")
            .withLoader(NO_PARTIALS);

    /** What a template rendered to, and the variables it named that the context lacked. */
    public record Rendered(String subject, String text, String html, List<String> warnings) {
    }

    /** Refuses a template that does not compile, as a 400 naming the field ({@code html}). */
    public void check(String field, String source, boolean isHtml) {
        if (source != null) {
            compile(field, source, isHtml);
        }
    }

    public Rendered render(Template template, Map<String, Object> context) {
        Map<String, Object> values = context == null ? Map.of() : context;
        Set<String> missing = new LinkedHashSet<>();
        String subject = render("subject", template.subject(), false, values, missing);
        String text = render("text", template.textBody(), false, values, missing);
        String html = render("html", template.htmlBody(), true, values, missing);
        List<String> warnings = new ArrayList<>();
        missing.forEach(name -> warnings.add("missing variable: " + name));
        return new Rendered(subject, text, html, warnings);
    }

    private String render(String field, String source, boolean isHtml, Map<String, Object> values, Set<String> missing) {
        if (source == null) {
            return null;
        }
        com.samskivert.mustache.Template compiled = compile(field, source, isHtml);
        compiled.visit(new MissingVariables(values, missing));
        try {
            return compiled.execute(values);
        } catch (MustacheException e) {
            throw ApiException.invalid("template." + field, "the template cannot be rendered: " + e.getMessage());
        }
    }

    private com.samskivert.mustache.Template compile(String field, String source, boolean isHtml) {
        try {
            return (isHtml ? html : plain).compile(source);
        } catch (MustacheException | IllegalArgumentException e) {
            throw ApiException.invalid(field, "template syntax: " + e.getMessage());
        }
    }

    /** Top-level variables (outside sections) that the context does not give, by dotted name. */
    private record MissingVariables(Map<String, Object> values, Set<String> missing) implements Mustache.Visitor {

        @Override
        public void visitText(String text) {
        }

        @Override
        public void visitVariable(String name) {
            if (!name.equals(".") && !name.equals("this") && lookup(name) == null) {
                missing.add(name);
            }
        }

        @Override
        public boolean visitInclude(String name) {
            return false;
        }

        @Override
        public boolean visitSection(String name) {
            if (lookup(name) == null) {
                missing.add(name);
            }
            return false;
        }

        @Override
        public boolean visitInvertedSection(String name) {
            return false;
        }

        private Object lookup(String name) {
            Object current = values;
            for (String part : name.split("\\.", -1)) {
                if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                    return null;
                }
                current = map.get(part);
            }
            return current;
        }
    }
}
