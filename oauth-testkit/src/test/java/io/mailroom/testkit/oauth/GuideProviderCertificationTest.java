package io.mailroom.testkit.oauth;

import io.mailroom.testkit.GuideFiles;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Step 5 of docs/writing-an-oauth-plugin.md as written: the guide's provider, its service file and
 * its contract test, taken from the page, compiled and run. Every test of the kit passes.
 */
class GuideProviderCertificationTest {

    private static final Path GUIDE = Path.of("..", "docs", "writing-an-oauth-plugin.md");

    @TempDir
    Path dir;

    @Test
    void the_guides_provider_passes_the_guides_contract_test() throws Exception {
        Map<String, String> files = GuideFiles.read(GUIDE);
        PluginJarBuilder jar = PluginJarBuilder.plugin("acme-oauth").withoutDescriptor();
        String testClass = null;
        for (Map.Entry<String, String> file : files.entrySet()) {
            String path = file.getKey();
            for (String root : new String[] {"/src/main/java/", "/src/test/java/"}) {
                if (path.contains(root)) {
                    String className = path.substring(path.indexOf(root) + root.length(), path.length() - ".java".length())
                            .replace('/', '.');
                    jar.source(className, file.getValue());
                    if (root.contains("test")) {
                        testClass = className;
                    }
                }
            }
            if (path.contains("/src/main/resources/")) {
                jar.resource(path.substring(path.indexOf("/src/main/resources/") + "/src/main/resources/".length()),
                        file.getValue());
            }
        }
        assertThat(testClass).as("the guide's test class").isNotNull();
        Path built = jar.buildJar(dir);

        TestExecutionSummary summary;
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {built.toUri().toURL()}, getClass().getClassLoader())) {
            // ServiceLoader, in the kit's registration test, looks in the context class loader
            Thread.currentThread().setContextClassLoader(loader);
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(loader.loadClass(testClass))).build(), listener);
            summary = listener.getSummary();
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }

        assertThat(summary.getFailures()).as(() -> summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException()).toList().toString()).isEmpty();
        assertThat(summary.getTestsSucceededCount()).isGreaterThanOrEqualTo(12);
    }
}
