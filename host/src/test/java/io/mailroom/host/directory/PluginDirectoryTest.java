package io.mailroom.host.directory;

import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A plugin reaches the directory through the context the host hands it, never through host classes. */
class PluginDirectoryTest {

    /** A source that, when asked to connect, looks its account's sender up and files it as a contact. */
    static final String SOURCE = """
            package sample.crm;

            import io.mailroom.api.ExtensionContext;
            import io.mailroom.api.PermanentException;
            import io.mailroom.api.directory.Directory;
            import io.mailroom.api.source.MailSource;
            import io.mailroom.api.source.MailboxAccount;
            import io.mailroom.api.source.SourceConnection;

            public class Source implements MailSource {
                @Override public String id() { return "crm"; }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    Directory directory = context.directory();
                    String company = directory.companyByDomain("ACME.com").map(Directory.Company::name).orElse("none");
                    Directory.Contact contact = directory.createContact("Lead@Acme.com", "Lead of " + company, null);
                    boolean found = directory.contactByEmail("lead@acme.COM").isPresent();
                    throw new PermanentException("filed contact " + contact.id() + " found=" + found);
                }
            }
            """;

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        PluginJarBuilder.plugin("crm").source("sample.crm.Source", SOURCE).service(MailSource.class, "sample.crm.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    @Test
    void a_plugin_finds_a_company_and_creates_a_contact_through_its_context() {
        long company = admin.post("/api/companies", Map.of("name", "Acme", "domains", List.of("acme.com")))
                .json().get("id").asLong();
        long mailbox = admin.post("/api/mailboxes", Map.of("name", "CRM", "email", "crm@example.com", "source", "crm"))
                .json().get("id").asLong();

        var poll = admin.post("/api/mailboxes/" + mailbox + "/sync?wait=true", Map.of()).json();

        assertThat(poll.get("error").asText()).contains("filed contact").contains("found=true");
        var contacts = admin.get("/api/contacts?email=lead@acme.com").json().get("items");
        assertThat(contacts).hasSize(1);
        assertThat(contacts.get(0).get("name").asText()).isEqualTo("Lead of Acme");
        assertThat(contacts.get(0).get("company_id").asLong()).isEqualTo(company);
    }
}
