package io.mailroom.plugins.pop3;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.api.source.FetchOptions;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.MailSource;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.testkit.ApiOnlyClassLoader;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin jar as {@code mvn package} leaves it in {@code target/}: it carries only its own
 * classes (it speaks POP3 on {@code java.base}, nothing to shade) and works in a class loader of
 * its own whose parent knows the API and nothing else, as PF4J loads it. Runs after package,
 * under failsafe ({@code mvn verify}); named apart from {@code Pop3*} so a surefire run of
 * {@code -Dtest=Pop3*} (before package) does not pick it up.
 */
class PackagedPluginIT {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.POP3.dynamicPort());

    private static final Path JAR = Path.of(System.getProperty("mailroom.plugin.jar", "target/missing.jar"));

    @Test
    void the_jar_carries_its_pf4j_manifest_its_service_entry_and_no_other_library() throws Exception {
        assertThat(JAR).as("run mvn package first").exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Plugin-Id")).isEqualTo("pop3");
            assertThat(manifest.getValue("Plugin-Version")).isNotBlank();
            assertThat(new String(jar.getInputStream(jar.getEntry("META-INF/services/io.mailroom.api.source.MailSource"))
                    .readAllBytes())).contains(Pop3Source.class.getName());
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")))
                    .allMatch(n -> n.startsWith("io/mailroom/plugins/pop3/"));
        }
    }

    @Test
    void the_jar_reads_mail_in_a_class_loader_whose_parent_has_only_the_api() throws Exception {
        greenMail.setUser("alice@example.com", "alice", "secret").deliver(new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(TestMessages.message(7, Instant.now()))));
        ClassLoader apiOnly = new ApiOnlyClassLoader(PackagedPluginIT.class.getClassLoader());

        try (URLClassLoader plugin = new URLClassLoader("pop3", new URL[]{JAR.toUri().toURL()}, apiOnly)) {
            MailSource source = ServiceLoader.load(MailSource.class, plugin).findFirst().orElseThrow();
            assertThat(source.getClass().getClassLoader()).isSameAs(plugin);

            try (SourceConnection connection = source.connect(TestMessages.account("127.0.0.1",
                    greenMail.getPop3().getPort(), "none", "alice", "secret"), new TestContext());
                 FolderReader reader = connection.open("INBOX", SyncCursor.START, new FetchOptions(null, false, key -> false))) {
                List<RawMessage> messages = reader.next(10, Long.MAX_VALUE).messages();
                assertThat(messages).hasSize(1);
                try (InputStream in = messages.getFirst().content().open()) {
                    assertThat(TestMessages.numberOf(in.readAllBytes())).isEqualTo(7);
                }
            }
        }
    }
}
