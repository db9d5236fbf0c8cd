package io.mailroom.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginJarBuilderTest {

    @TempDir
    Path dir;

    private static PluginJarBuilder greeter() {
        return PluginJarBuilder.plugin("greeter")
                .version("2.1.0")
                .provider("Acme")
                .dependencies("base@>=1.0.0")
                .source("sample.Greeter", "package sample; public class Greeter implements Runnable { public void run() {} }")
                .service(Runnable.class, "sample.Greeter")
                .resource("db/plugins/greeter/V1__init.sql", "create table greeting (id bigint)");
    }

    @Test
    void a_jar_has_the_descriptor_the_compiled_classes_the_services_and_the_resources() throws Exception {
        Path jar = greeter().buildJar(dir);

        assertThat(jar).hasFileName("greeter-2.1.0.jar");
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertThat(main.getValue("Plugin-Id")).isEqualTo("greeter");
            assertThat(main.getValue("Plugin-Version")).isEqualTo("2.1.0");
            assertThat(main.getValue("Plugin-Provider")).isEqualTo("Acme");
            assertThat(main.getValue("Plugin-Dependencies")).isEqualTo("base@>=1.0.0");
            assertThat(main.getValue("Plugin-Class")).isNull();
            assertThat(file.getEntry("sample/Greeter.class")).isNotNull();
            assertThat(file.getEntry("META-INF/services/")).isNotNull();
            assertThat(new String(file.getInputStream(file.getEntry("META-INF/services/java.lang.Runnable"))
                    .readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("sample.Greeter\n");
            assertThat(file.getEntry("db/plugins/greeter/V1__init.sql")).isNotNull();
        }
    }

    @Test
    void a_zip_has_everything_under_classes() throws Exception {
        Path zip = greeter().buildZip(dir);

        try (ZipFile file = new ZipFile(zip.toFile())) {
            assertThat(file.getEntry("classes/META-INF/MANIFEST.MF")).isNotNull();
            assertThat(file.getEntry("classes/sample/Greeter.class")).isNotNull();
            assertThat(file.getEntry("classes/META-INF/services/java.lang.Runnable")).isNotNull();
        }
    }

    @Test
    void broken_descriptors_can_be_built_on_purpose() throws Exception {
        Path noId = greeter().manifestAttribute("Plugin-Id", null).fileName("no-id").buildJar(dir);
        Path none = greeter().withoutDescriptor().fileName("none").buildJar(dir);

        try (JarFile a = new JarFile(noId.toFile()); JarFile b = new JarFile(none.toFile())) {
            assertThat(a.getManifest().getMainAttributes().getValue("Plugin-Id")).isNull();
            assertThat(a.getManifest().getMainAttributes().getValue("Plugin-Version")).isEqualTo("2.1.0");
            assertThat(b.getManifest().getMainAttributes().keySet()).extracting(Object::toString)
                    .containsExactly("Manifest-Version");
        }
    }

    @Test
    void a_source_that_does_not_compile_fails_with_the_compiler_message() {
        assertThatThrownBy(() -> PluginJarBuilder.plugin("typo")
                .source("sample.Typo", "package sample; public class Typo { int x = \"text\"; }")
                .buildJar(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plugin typo does not compile")
                .hasMessageContaining("Typo.java:1");
    }
}
