package io.mailroom.host.plugins;

import io.mailroom.api.Extension;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.source.MailSource;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static io.mailroom.host.plugins.SamplePlugins.filterOperator;
import static io.mailroom.host.plugins.SamplePlugins.touch;
import static io.mailroom.host.plugins.SamplePlugins.withMailSource;
import static io.mailroom.host.plugins.SamplePlugins.withPluginClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class PluginHostTest {

    @TempDir
    Path dir;

    private PluginHost host;

    private Path plugins() throws IOException {
        return Files.createDirectories(dir.resolve("plugins"));
    }

    private PluginHost start(Set<String> disabledByConfig) throws IOException {
        host = new PluginHost(plugins(), disabledByConfig);
        host.start();
        return host;
    }

    private PluginReport report(String id) {
        return host.plugins().stream().filter(report -> report.id().equals(id)).findFirst().orElseThrow();
    }

    @AfterEach
    void closeHost() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void one_plugin_jar_is_found_by_pf4j_and_by_plain_service_loader() throws Exception {
        Path jar = withMailSource("acme", "acme_imap").buildJar(plugins());

        start(Set.of());
        assertThat(host.extension(MailSource.class, "acme_imap")).isPresent();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                PluginHostTest.class.getClassLoader())) {
            List<MailSource> found = ServiceLoader.load(MailSource.class, loader).stream()
                    .map(ServiceLoader.Provider::get).toList();
            assertThat(found).extracting(MailSource::id).containsExactly("acme_imap");
            assertThat(found.getFirst().getClass().getClassLoader()).isSameAs(loader);
        }
    }

    @Test
    void a_jar_copied_into_the_plugins_dir_is_loaded_and_started() throws Exception {
        Path built = withMailSource("acme", "acme_imap").version("1.2.0")
                .source("sample.acme.Equals", filterOperator("sample.acme.Equals", "acme_equals"))
                .service(FilterOperator.class, "sample.acme.Equals")
                .buildJar(dir.resolve("build"));
        Files.copy(built, plugins().resolve(built.getFileName()));

        start(Set.of());

        assertThat(host.plugins()).containsExactly(new PluginReport("acme", "1.2.0", "started",
                Map.of("MailSource", List.of("acme_imap"), "FilterOperator", List.of("acme_equals")), null));
        assertThat(report("acme").extensions().keySet()).containsExactly("MailSource", "FilterOperator");
    }

    @Test
    void a_plugin_zip_in_the_plugins_dir_is_loaded_and_started() throws Exception {
        withMailSource("zipped", "zipped_source").buildZip(plugins());

        start(Set.of());

        assertThat(report("zipped").state()).isEqualTo("started");
        assertThat(host.extension(MailSource.class, "zipped_source")).isPresent();
    }

    @Test
    void a_plugin_listed_in_disabled_txt_is_not_started() throws Exception {
        withMailSource("kept", "kept_source").buildJar(plugins());
        withMailSource("dropped", "dropped_source").buildJar(plugins());
        Files.writeString(plugins().resolve("disabled.txt"), "# not wanted here\ndropped\n");

        start(Set.of());

        assertThat(report("kept").state()).isEqualTo("started");
        assertThat(report("dropped")).isEqualTo(new PluginReport("dropped", "1.0.0", "disabled", Map.of(), null));
        assertThat(host.extension(MailSource.class, "dropped_source")).isEmpty();
    }

    @Test
    void when_enabled_txt_exists_only_the_plugins_it_lists_are_enabled() throws Exception {
        withMailSource("listed", "listed_source").buildJar(plugins());
        withMailSource("unlisted", "unlisted_source").buildJar(plugins());
        Files.writeString(plugins().resolve("enabled.txt"), "listed\n");

        start(Set.of());

        assertThat(report("listed").state()).isEqualTo("started");
        assertThat(report("unlisted").state()).isEqualTo("disabled");
        assertThat(host.extensions(MailSource.class)).extracting(Extension::id).containsExactly("listed_source");
    }

    @Test
    void the_configuration_disables_plugins_by_id() throws Exception {
        withMailSource("kept", "kept_source").buildJar(plugins());
        withMailSource("dropped", "dropped_source").buildJar(plugins());

        start(Set.of("dropped"));

        assertThat(report("kept").state()).isEqualTo("started");
        assertThat(report("dropped").state()).isEqualTo("disabled");
        assertThat(host.extensions(MailSource.class)).extracting(Extension::id).containsExactly("kept_source");
    }

    @Test
    void extension_returns_the_one_instance_made_at_start() throws Exception {
        withMailSource("acme", "x").buildJar(plugins());

        start(Set.of());

        MailSource source = host.extension(MailSource.class, "x").orElseThrow();
        assertThat(host.extension(MailSource.class, "x")).containsSame(source);
        assertThat(host.extensions(MailSource.class)).containsExactly(source);
        assertThat(host.extension(MailSource.class, "y")).isEmpty();
        assertThat(host.extensions(FilterOperator.class)).isEmpty();
        assertThatThrownBy(() -> host.extensions(Extension.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void each_plugin_loads_its_classes_in_its_own_class_loader() throws Exception {
        // both plugins define sample.shared.Source, each with its own id
        String className = "sample.shared.Source";
        for (String id : List.of("one", "two")) {
            PluginJarBuilder.plugin(id)
                    .source(className, SamplePlugins.mailSource(className, id + "_source"))
                    .service(MailSource.class, className)
                    .resource("db/plugins/" + id + "/V1__init.sql", "create table " + id + "_seen (uid bigint)")
                    .buildJar(plugins());
        }

        start(Set.of());

        Class<?> one = host.extension(MailSource.class, "one_source").orElseThrow().getClass();
        Class<?> two = host.extension(MailSource.class, "two_source").orElseThrow().getClass();
        assertThat(one.getName()).isEqualTo(two.getName());
        assertThat(one).isNotSameAs(two);
        assertThat(one.getClassLoader()).isSameAs(host.classLoader("one"))
                .isNotSameAs(PluginHostTest.class.getClassLoader());
        assertThatThrownBy(() -> Class.forName(className, false, PluginHostTest.class.getClassLoader()))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(host.classLoader("one").getResource("db/plugins/one/V1__init.sql")).isNotNull();
        assertThat(host.classLoader("one").getResource("db/plugins/two/V1__init.sql")).isNull();
        assertThatThrownBy(() -> host.classLoader("three")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void close_stops_every_plugin_one_by_one_and_unloads_them() throws Exception {
        List<String> ids = List.of("first", "second", "third");
        for (String id : ids) {
            withPluginClass(id, id + "_source", "", touch(dir.resolve(id + ".stopped"))).buildJar(plugins());
        }
        start(Set.of());
        assertThat(host.plugins()).extracting(PluginReport::state).containsOnly("started");

        host.close();

        for (String id : ids) {
            assertThat(dir.resolve(id + ".stopped")).exists();
        }
        assertThat(host.plugins()).extracting(PluginReport::state).containsOnly("unloaded");
        assertThat(host.extensions(MailSource.class)).isEmpty();
        host.close();
    }

    @Test
    void a_plugin_starts_after_the_plugin_it_depends_on() throws Exception {
        withPluginClass("base", "base_source", touch(dir.resolve("base.started")), "").buildJar(plugins());
        Path proof = dir.resolve("base.started");
        String check = "if (!java.nio.file.Files.exists(java.nio.file.Path.of(\"%s\"))) throw new IllegalStateException();"
                .formatted(proof);
        withPluginClass("addon", "addon_source", check, "").dependencies("base").buildJar(plugins());

        start(Set.of());

        assertThat(host.plugins()).extracting(PluginReport::id, PluginReport::state)
                .containsExactly(tuple("addon", "started"),
                        tuple("base", "started"));
    }

    @Test
    void a_plugin_disabled_at_run_time_stops_with_its_dependents_and_stays_disabled() throws Exception {
        withPluginClass("base", "base_source", "", touch(dir.resolve("base.stopped"))).buildJar(plugins());
        withMailSource("addon", "addon_source").dependencies("base").buildJar(plugins());
        start(Set.of());
        MailSource before = host.extension(MailSource.class, "base_source").orElseThrow();

        assertThat(host.disable("base").state()).isEqualTo("disabled");

        assertThat(dir.resolve("base.stopped")).exists();
        assertThat(report("addon").state()).isEqualTo("stopped");
        assertThat(host.extensions(MailSource.class)).isEmpty();
        assertThat(Files.readAllLines(plugins().resolve("disabled.txt"))).contains("base");

        assertThat(host.enable("base").state()).isEqualTo("started");
        assertThat(host.enable("addon").state()).isEqualTo("started");
        assertThat(host.extension(MailSource.class, "base_source")).as("made again for the new start")
                .get().isNotSameAs(before);
        assertThat(host.extensions(MailSource.class)).hasSize(2);
        assertThat(Files.readAllLines(plugins().resolve("disabled.txt"))).doesNotContain("base");
    }

    @Test
    void a_plugin_the_configuration_disables_cannot_be_enabled_at_run_time() throws Exception {
        withMailSource("dropped", "dropped_source").buildJar(plugins());
        start(Set.of("dropped"));

        assertThatThrownBy(() -> host.enable("dropped")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mailroom.plugins.disabled");
        assertThatThrownBy(() -> host.enable("absent")).isInstanceOf(IllegalArgumentException.class);
        assertThat(report("dropped").state()).isEqualTo("disabled");
    }

    @Test
    void a_plugin_that_failed_to_start_is_tried_again_when_enabled() throws Exception {
        Path allowed = dir.resolve("allowed");
        String check = "if (!java.nio.file.Files.exists(java.nio.file.Path.of(\"%s\"))) throw new IllegalStateException(\"not yet\");"
                .formatted(allowed);
        withPluginClass("moody", "moody_source", check, "").buildJar(plugins());
        start(Set.of());
        assertThat(report("moody").state()).isEqualTo("failed");

        Files.createFile(allowed);

        assertThat(host.enable("moody").state()).isEqualTo("started");
        assertThat(report("moody").error()).isNull();
        assertThat(host.extension(MailSource.class, "moody_source")).isPresent();
    }

    @Test
    void an_empty_or_missing_plugins_dir_means_no_plugins() {
        host = new PluginHost(dir.resolve("nowhere"), Set.of());
        host.start();

        assertThat(host.plugins()).isEmpty();
        assertThat(host.extensions(MailSource.class)).isEmpty();
    }
}
