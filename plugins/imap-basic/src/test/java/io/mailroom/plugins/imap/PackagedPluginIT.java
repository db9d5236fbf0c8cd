package io.mailroom.plugins.imap;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.MailSource;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.testkit.ApiOnlyClassLoader;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import static io.mailroom.plugins.imap.TestMail.ALL;
import static io.mailroom.plugins.imap.TestMail.CONTEXT;
import static io.mailroom.plugins.imap.TestMail.account;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin jar as {@code mvn package} leaves it in {@code target/}: it must work in a class
 * loader of its own whose parent knows the API and nothing else, as PF4J loads it, while the
 * thread's context class loader holds another Angus Mail (the host's; here the test class path).
 * Runs after package, under failsafe ({@code mvn verify}).
 */
class PackagedPluginIT {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice@example.com", "alice", "secret"));

    private static final Path JAR = Path.of(System.getProperty("mailroom.plugin.jar", "target/missing.jar"));

    @Test
    void the_jar_carries_its_pf4j_manifest_its_service_entry_and_angus_mail_but_not_the_api() throws Exception {
        assertThat(JAR).as("run mvn package first").exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Plugin-Id")).isEqualTo("imap-basic");
            assertThat(manifest.getValue("Plugin-Version")).isNotBlank();
            assertThat(jar.getEntry("META-INF/services/io.mailroom.api.source.MailSource")).isNotNull();
            assertThat(new String(jar.getInputStream(jar.getEntry("META-INF/services/io.mailroom.api.source.MailSource"))
                    .readAllBytes())).contains(ImapSource.class.getName());
            assertThat(jar.getEntry("org/eclipse/angus/mail/imap/IMAPStore.class")).isNotNull();
            assertThat(jar.getEntry("jakarta/mail/Session.class")).isNotNull();
            assertThat(jar.getEntry("META-INF/services/jakarta.mail.Provider")).isNotNull();
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("io/mailroom/api/"))).isEmpty();
        }
    }

    @Test
    void the_jar_reads_and_waits_for_mail_in_a_class_loader_whose_parent_has_only_the_api() throws Exception {
        greenMail.getManagers().getImapHostManager().getInbox(greenMail.getUserManager().getUser("alice"))
                .appendMessage(new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream(TestMail.message("packaged"))), new Flags(), new Date());
        ClassLoader apiOnly = new ApiOnlyClassLoader(PackagedPluginIT.class.getClassLoader());

        try (URLClassLoader plugin = new URLClassLoader("imap-basic", new URL[]{JAR.toUri().toURL()}, apiOnly)) {
            MailSource source = ServiceLoader.load(MailSource.class, plugin).findFirst().orElseThrow();
            assertThat(source.getClass().getClassLoader()).isSameAs(plugin);
            assertThat(plugin.loadClass("jakarta.mail.Session").getClassLoader()).isSameAs(plugin);
            assertThat(Thread.currentThread().getContextClassLoader().loadClass("jakarta.mail.Session"))
                    .as("another Angus Mail is the context class loader's").isNotSameAs(plugin.loadClass("jakarta.mail.Session"));

            try (SourceConnection connection = source.connect(account(greenMail.getImap().getPort(), "alice", "secret"), CONTEXT);
                 FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
                assertThat(reader.next(10, Long.MAX_VALUE).messages()).extracting(TestMail::subjectOf).contains("packaged");
                assertThat(connection.supportsPush()).isTrue();
                assertThat(connection.awaitChange("INBOX", Duration.ofMillis(200))).as("first wait").isTrue();
                assertThat(connection.awaitChange("INBOX", Duration.ofMillis(200))).as("quiet").isFalse();
            }
        }
    }
}
