package io.mailroom.host.plugins;

import io.mailroom.api.source.MailSource;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mailroom.host.plugins.SamplePlugins.mailSource;
import static io.mailroom.host.plugins.SamplePlugins.withMailSource;
import static io.mailroom.host.plugins.SamplePlugins.withPluginClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Every test puts a healthy plugin next to a broken one: the broken one is reported, the healthy one starts. */
class PluginFailuresTest {

    @TempDir
    Path plugins;

    private PluginHost host;

    @BeforeEach
    void healthyPlugin() {
        withMailSource("healthy", "healthy_source").buildJar(plugins);
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    private PluginReport startAndReport(String id) {
        host = new PluginHost(plugins, Set.of());
        host.start();
        assertThat(host.extension(MailSource.class, "healthy_source")).isPresent();
        assertThat(host.plugins()).filteredOn(report -> report.id().equals("healthy"))
                .extracting(PluginReport::state).containsExactly("started");
        return host.plugins().stream().filter(report -> report.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void a_jar_whose_descriptor_has_no_plugin_id_is_reported_by_file_name() {
        withMailSource("nameless", "nameless_source").manifestAttribute("Plugin-Id", null)
                .fileName("nameless").buildJar(plugins);

        PluginReport report = startAndReport("nameless.jar");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.version()).isNull();
        assertThat(report.error()).isEqualTo("invalid plugin descriptor: no Plugin-Id");
    }

    @Test
    void a_jar_without_a_plugin_descriptor_is_reported() {
        withMailSource("plain", "plain_source").withoutDescriptor().fileName("plain-library").buildJar(plugins);

        PluginReport report = startAndReport("plain-library.jar");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).isEqualTo("invalid plugin descriptor: no Plugin-Id");
    }

    @Test
    void a_file_that_is_no_jar_is_reported() throws Exception {
        Files.writeString(plugins.resolve("notes.jar"), "not a zip");

        PluginReport report = startAndReport("notes.jar");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).contains("no plugin descriptor");
    }

    @Test
    void a_second_file_with_the_same_plugin_id_is_reported_by_file_name() {
        withMailSource("healthy", "healthy_source").version("2.0.0").fileName("healthy-copy").buildJar(plugins);

        startAndReport("healthy");

        assertThat(host.plugins()).extracting(PluginReport::id).containsExactly("healthy", "healthy-copy.jar");
        assertThat(host.plugins().getLast().error()).isEqualTo("another plugin file has the same Plugin-Id");
    }

    @Test
    void a_service_entry_naming_a_missing_class_fails_its_plugin() {
        withMailSource("gappy", "gappy_source").service(MailSource.class, "sample.gappy.Missing").buildJar(plugins);

        PluginReport report = startAndReport("gappy");

        assertThat(report).isEqualTo(new PluginReport("gappy", "1.0.0", "failed", Map.of(),
                "META-INF/services names sample.gappy.Missing, which is not in the plugin"));
        assertThat(host.extension(MailSource.class, "gappy_source")).isEmpty();
    }

    @Test
    void a_plugin_whose_start_throws_is_reported_and_the_others_start() {
        withPluginClass("grumpy", "grumpy_source", "throw new IllegalStateException(\"no licence key\");", "")
                .buildJar(plugins);

        PluginReport report = startAndReport("grumpy");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).isEqualTo("start() failed: IllegalStateException: no licence key");
        assertThat(report.extensions()).isEmpty();
        assertThat(host.extension(MailSource.class, "grumpy_source")).isEmpty();
    }

    @Test
    void a_plugin_class_missing_from_the_jar_fails_its_plugin() {
        withMailSource("classless", "classless_source").pluginClass("sample.classless.Gone").buildJar(plugins);

        PluginReport report = startAndReport("classless");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).startsWith("Plugin-Class sample.classless.Gone cannot be loaded");
    }

    @Test
    void an_extension_whose_constructor_throws_fails_its_plugin() {
        PluginJarBuilder.plugin("fragile")
                .source("sample.fragile.Source", mailSource("sample.fragile.Source", "fragile_source",
                        "throw new IllegalArgumentException(\"no host\");"))
                .service(MailSource.class, "sample.fragile.Source")
                .buildJar(plugins);

        PluginReport report = startAndReport("fragile");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).isEqualTo("sample.fragile.Source cannot be made: IllegalArgumentException: no host");
    }

    @Test
    void an_extension_with_an_unusable_id_fails_its_plugin() {
        withMailSource("shouty", "Shouty Source").buildJar(plugins);

        PluginReport report = startAndReport("shouty");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).contains("'Shouty Source'").contains("[a-z0-9_-]+");
    }

    @Test
    void a_plugin_that_packs_its_own_copy_of_the_api_is_reported() {
        PluginJarBuilder.plugin("shaded")
                .source("io.mailroom.api.source.MailSource",
                        "package io.mailroom.api.source; public interface MailSource { String id(); }")
                .source("sample.shaded.Source", """
                        package sample.shaded;
                        public class Source implements io.mailroom.api.source.MailSource {
                            public String id() { return "shaded_source"; }
                        }
                        """)
                .service(MailSource.class, "sample.shaded.Source")
                .buildJar(plugins);

        PluginReport report = startAndReport("shaded");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).contains("its own copy of io.mailroom.api.source.MailSource");
    }

    @Test
    void a_duplicate_extension_id_stays_with_the_first_plugin() {
        withMailSource("zz-copycat", "healthy_source").buildJar(plugins);

        PluginReport report = startAndReport("zz-copycat");

        assertThat(report.state()).isEqualTo("started");
        assertThat(report.extensions()).isEmpty();
        assertThat(report.error()).isEqualTo(
                "MailSource 'healthy_source' is already provided by plugin 'healthy' and is ignored here");
        assertThat(host.extension(MailSource.class, "healthy_source").orElseThrow().getClass().getName())
                .isEqualTo("sample.healthy.Source");
        assertThat(host.plugins()).filteredOn(r -> r.id().equals("healthy")).extracting(PluginReport::extensions)
                .containsExactly(Map.of("MailSource", List.of("healthy_source")));
    }

    @Test
    void a_plugin_whose_required_dependency_is_missing_is_reported() {
        withMailSource("orphan", "orphan_source").dependencies("parent").buildJar(plugins);

        PluginReport report = startAndReport("orphan");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).isEqualTo("requires plugin 'parent', which is not installed");
    }

    @Test
    void a_plugin_asking_for_another_version_of_its_dependency_fails_and_the_dependency_starts() {
        withMailSource("base", "base_source").version("1.4.0").buildJar(plugins);
        withMailSource("addon", "addon_source").dependencies("base@>=2.0.0").buildJar(plugins);

        PluginReport report = startAndReport("addon");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).isEqualTo("requires plugin 'base' version >=2.0.0, found 1.4.0");
        assertThat(host.plugins()).filteredOn(r -> r.id().equals("base")).extracting(PluginReport::state)
                .containsExactly("started");
    }

    @Test
    void plugins_requiring_each_other_fail_and_the_others_start() {
        withMailSource("chicken", "chicken_source").dependencies("egg").buildJar(plugins);
        withMailSource("egg", "egg_source").dependencies("chicken").buildJar(plugins);
        withMailSource("farmer", "farmer_source").dependencies("egg").buildJar(plugins);

        startAndReport("farmer");

        assertThat(host.plugins()).extracting(PluginReport::id, PluginReport::state, PluginReport::error).containsExactly(
                tuple("chicken", "failed", "it requires itself through a cycle of plugins"),
                tuple("egg", "failed", "it requires itself through a cycle of plugins"),
                tuple("farmer", "failed", "requires plugin 'egg', which is failed"),
                tuple("healthy", "started", null));
    }

    @Test
    void a_plugin_that_depends_on_a_failed_plugin_fails_too() {
        withPluginClass("parent", "parent_source", "throw new IllegalStateException(\"boom\");", "")
                .buildJar(plugins);
        withMailSource("child", "child_source").dependencies("parent").buildJar(plugins);

        PluginReport report = startAndReport("child");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).isEqualTo("requires plugin 'parent', which is failed");
    }

    @Test
    void a_plugin_that_depends_on_a_plugin_with_a_broken_extension_is_stopped() {
        withMailSource("parent", "parent_source").service(MailSource.class, "sample.parent.Missing").buildJar(plugins);
        withMailSource("child", "child_source").dependencies("parent").buildJar(plugins);

        PluginReport report = startAndReport("child");

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.error()).isEqualTo("requires plugin 'parent', which failed");
        assertThat(host.extension(MailSource.class, "child_source")).isEmpty();
    }
}
