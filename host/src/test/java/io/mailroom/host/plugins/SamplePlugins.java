package io.mailroom.host.plugins;

import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.source.MailSource;
import io.mailroom.testkit.PluginJarBuilder;

import java.nio.file.Path;

/** The plugins the plugin tests build: Java sources as strings and builders that pack them. */
final class SamplePlugins {

    private SamplePlugins() {
    }

    /** A plugin serving one {@link MailSource}, class {@code sample.<plugin>.Source}. */
    static PluginJarBuilder withMailSource(String pluginId, String sourceId) {
        String className = packageFor(pluginId) + ".Source";
        return PluginJarBuilder.plugin(pluginId)
                .source(className, mailSource(className, sourceId))
                .service(MailSource.class, className);
    }

    /** A plugin whose PF4J plugin class runs {@code onStart} and {@code onStop} (Java statements). */
    static PluginJarBuilder withPluginClass(String pluginId, String sourceId, String onStart, String onStop) {
        String className = packageFor(pluginId) + ".SamplePlugin";
        return withMailSource(pluginId, sourceId)
                .pluginClass(className)
                .source(className, pluginClass(className, onStart, onStop));
    }

    static String packageFor(String pluginId) {
        return "sample." + pluginId.replaceAll("[^A-Za-z0-9]", "_");
    }

    static String mailSource(String className, String id) {
        return mailSource(className, id, "");
    }

    /** A mail source whose constructor runs {@code constructorBody}; connecting is not supported. */
    static String mailSource(String className, String id, String constructorBody) {
        return """
                package %s;

                import io.mailroom.api.ExtensionContext;
                import io.mailroom.api.source.MailSource;
                import io.mailroom.api.source.MailboxAccount;
                import io.mailroom.api.source.SourceConnection;

                public class %s implements MailSource {
                    public %2$s() { %s }
                    @Override public String id() { return "%s"; }
                    @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                        throw new UnsupportedOperationException("a sample");
                    }
                }
                """.formatted(packageOf(className), simpleName(className), constructorBody, id);
    }

    /** A {@link FilterOperator} that matches when a field value equals the operand. */
    static String filterOperator(String className, String id) {
        return """
                package %s;

                import io.mailroom.api.filter.FieldType;
                import io.mailroom.api.filter.FilterOperator;
                import io.mailroom.api.filter.FilterPredicate;
                import java.util.Set;

                public class %s implements FilterOperator {
                    @Override public String id() { return "%s"; }
                    @Override public Set<FieldType> types() { return Set.of(FieldType.TEXT, FieldType.ADDRESS); }
                    @Override public FilterPredicate compile(FieldType type, Object operand) {
                        if (!(operand instanceof String)) throw new IllegalArgumentException("needs a string");
                        return values -> values.contains(operand);
                    }
                }
                """.formatted(packageOf(className), simpleName(className), id);
    }

    /** A PF4J plugin class, compiled against {@code org.pf4j.Plugin} from the test class path. */
    static String pluginClass(String className, String onStart, String onStop) {
        return """
                package %s;

                public class %s extends org.pf4j.Plugin {
                    @Override public void start() { %s }
                    @Override public void stop() { %s }
                }
                """.formatted(packageOf(className), simpleName(className), onStart, onStop);
    }

    /** A Java statement writing an empty file, as a plugin's proof that it ran. */
    static String touch(Path file) {
        String path = file.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                try { java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), ""); }
                catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                """.formatted(path);
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
