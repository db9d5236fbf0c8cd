package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import io.mailroom.api.source.MailSource;
import io.mailroom.testkit.PluginJarBuilder;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A mailbox's company: stored, shown, checked, cleared when the company goes, and seen by extensions. */
class MailboxCompanyTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static Jdbi jdbi;

    /** A source, so mailboxes can be made; they are never synced. */
    private static final String SOURCE = """
            package sample.quiet;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;

            public class Quiet implements MailSource {
                @Override public String id() { return "quiet"; }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    throw new PermanentException("reads no mail");
                }
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        PluginJarBuilder.plugin("quiet").source("sample.quiet.Quiet", SOURCE).service(MailSource.class, "sample.quiet.Quiet")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
        jdbi = mailroom.mailroom().core().database().jdbi();
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    private static ApiClient.Reply create(Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Support", "email", "support@example.com", "source", "quiet",
                "enabled", false));
        body.putAll(extra);
        return admin.post("/api/mailboxes", body);
    }

    @Test
    void a_mailbox_keeps_its_company_and_extensions_see_it_with_the_sink() {
        long company = admin.post("/api/companies", Map.of("name", "Acme", "domains", List.of("acme.example"))).json().get("id").asLong();

        ApiClient.Reply created = create(Map.of("company_id", company));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("company_id").asLong()).isEqualTo(company);
        assertThat(admin.get("/api/mailboxes/" + id).json().get("company_id").asLong()).isEqualTo(company);
        jdbi.useHandle(handle -> handle.execute("UPDATE mailboxes SET sink = 'desk' WHERE id = ?", id));
        MailboxInfo info = new MailboxLookups(jdbi).find(id).orElseThrow();
        assertThat(info.companyId()).isEqualTo(company);
        assertThat(info.sink()).isEqualTo("desk");

        assertThat(admin.delete("/api/companies/" + company).status()).isIn(200, 204);
        assertThat(admin.get("/api/mailboxes/" + id).json().get("company_id").isNull()).as("ON DELETE SET NULL").isTrue();
        assertThat(new MailboxLookups(jdbi).find(id).orElseThrow().companyId()).isNull();
    }

    @Test
    void an_unknown_company_is_a_400_at_company_id_and_null_clears_it() {
        ApiClient.Reply unknown = create(Map.of("company_id", 987654));
        ApiClient.Reply notANumber = create(Map.of("company_id", "acme"));

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/details/path").asText()).isEqualTo("company_id");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.json().at("/details/path").asText()).isEqualTo("company_id");

        long company = admin.post("/api/companies", Map.of("name", "Globex", "domains", List.of("globex.example"))).json().get("id").asLong();
        long id = create(Map.of("company_id", company)).json().get("id").asLong();
        Map<String, Object> none = new HashMap<>();
        none.put("company_id", null);
        JsonNode cleared = admin.put("/api/mailboxes/" + id, none).json();
        assertThat(cleared.get("company_id").isNull()).isTrue();
        assertThat(new MailboxLookups(jdbi).find(id).orElseThrow().companyId()).isNull();
        assertThat(new MailboxLookups(jdbi).find(id).orElseThrow().sink()).isNull();
    }
}
