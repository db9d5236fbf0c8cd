package io.mailroom.host.directory;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.directory.Directory;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code /api/companies} and {@code /api/contacts}, and the same directory as a plugin sees it. */
class DirectoryRoutesTest {

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static ApiClient ann;

    @BeforeAll
    static void start() {
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
        long annId = admin.post("/api/users", Map.of("name", "Ann", "email", "ann@example.com")).json().get("id").asLong();
        ann = mailroom.client(admin.post("/api/tokens", Map.of("user_id", annId)).json().get("token").asText());
    }

    @AfterAll
    static void stop() {
        mailroom.close();
    }

    static HostDirectory directory() {
        return new HostDirectory(mailroom.mailroom().core().database().jdbi());
    }

    @Test
    void a_company_keeps_its_domains_in_lower_case_and_is_found_by_any_of_them() {
        Reply created = admin.post("/api/companies", Map.of("name", "Acme", "domains", List.of("Acme.COM", "acme.de")));
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("domains").toString()).isEqualTo("[\"acme.com\",\"acme.de\"]");

        JsonNode found = admin.get("/api/companies?domain=ACME.de").json();
        assertThat(found.get("total").asLong()).isEqualTo(1);
        assertThat(found.get("items").get(0).get("id").asLong()).isEqualTo(id);
        assertThat(admin.get("/api/companies?domain=nobody.example").json().get("total").asLong()).isZero();
        assertThat(directory().companyByDomain("ACME.COM")).map(Directory.Company::name).contains("Acme");
    }

    @Test
    void a_domain_belongs_to_one_company_at_most() {
        long first = admin.post("/api/companies", Map.of("name", "Globex", "domains", List.of("globex.com")))
                .json().get("id").asLong();
        Reply taken = admin.post("/api/companies", Map.of("name", "Globex 2", "domains", List.of("GLOBEX.com")));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("error").asText()).isEqualTo("conflict");
        // nothing of the refused company was kept
        assertThat(admin.get("/api/companies").json().get("items").findValuesAsText("name")).doesNotContain("Globex 2");

        long second = admin.post("/api/companies", Map.of("name", "Initech", "domains", List.of("initech.com")))
                .json().get("id").asLong();
        assertThat(admin.put("/api/companies/" + second, Map.of("domains", List.of("initech.com", "globex.com"))).status())
                .isEqualTo(409);
        // a company may keep its own domains on update, and give one up for another to take
        assertThat(admin.put("/api/companies/" + first, Map.of("domains", List.of("globex.com", "globex.net"))).status())
                .isEqualTo(200);
        assertThat(admin.put("/api/companies/" + first, Map.of("domains", List.of("globex.net"))).status()).isEqualTo(200);
        assertThat(admin.put("/api/companies/" + second, Map.of("domains", List.of("initech.com", "globex.com")))
                .json().get("domains").size()).isEqualTo(2);
    }

    @Test
    void a_bad_domain_is_refused_naming_it() {
        Reply bad = admin.post("/api/companies", Map.of("name", "Bad", "domains", List.of("ok.com", "not a domain")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("details").get("path").asText()).isEqualTo("domains[1]");
        assertThat(admin.post("/api/companies", Map.of("domains", List.of())).json().get("details").get("path").asText())
                .isEqualTo("name");
    }

    @Test
    void contacts_are_matched_by_email_whatever_its_case() {
        long company = admin.post("/api/companies", Map.of("name", "Umbrella", "domains", List.of("umbrella.com")))
                .json().get("id").asLong();
        Reply created = admin.post("/api/contacts", Map.of("email", "Alice@Umbrella.com", "name", "Alice", "company_id", company));
        assertThat(created.status()).isEqualTo(201);
        long alice = created.json().get("id").asLong();
        assertThat(created.json().get("company_id").asLong()).isEqualTo(company);

        assertThat(admin.post("/api/contacts", Map.of("email", "alice@UMBRELLA.COM")).status()).isEqualTo(409);
        JsonNode byEmail = admin.get("/api/contacts?email=ALICE@umbrella.com").json();
        assertThat(byEmail.get("total").asLong()).isEqualTo(1);
        assertThat(byEmail.get("items").get(0).get("id").asLong()).isEqualTo(alice);
        assertThat(admin.get("/api/contacts?company_id=" + company).json().get("items").findValuesAsText("email"))
                .containsExactly("Alice@Umbrella.com");
        assertThat(directory().contactByEmail("alice@umbrella.COM")).map(Directory.Contact::id).contains(alice);

        long bob = admin.post("/api/contacts", Map.of("email", "bob@umbrella.com")).json().get("id").asLong();
        assertThat(admin.put("/api/contacts/" + bob, Map.of("email", "ALICE@umbrella.com")).status()).isEqualTo(409);
        Map<String, Object> clear = new HashMap<>();
        clear.put("company_id", null);
        assertThat(admin.put("/api/contacts/" + alice, clear).json().get("company_id").isNull()).isTrue();
        assertThat(admin.delete("/api/contacts/" + bob).status()).isEqualTo(204);
        assertThat(admin.get("/api/contacts/" + bob).status()).isEqualTo(404);
    }

    @Test
    void a_bad_contact_is_refused_naming_the_field() {
        assertThat(admin.post("/api/contacts", Map.of("email", "no-at-sign")).json().get("details").get("path").asText())
                .isEqualTo("email");
        assertThat(admin.post("/api/contacts", Map.of("email", "x@example.com", "company_id", 999999)).json()
                .get("details").get("path").asText()).isEqualTo("company_id");
    }

    @Test
    void only_a_superadmin_keeps_the_directory() {
        assertThat(ann.get("/api/contacts").status()).isEqualTo(403);
        assertThat(ann.post("/api/companies", Map.of("name", "Mine")).status()).isEqualTo(403);
    }

    @Test
    void a_plugin_creates_a_contact_once_and_it_joins_the_company_of_its_domain() {
        long company = admin.post("/api/companies", Map.of("name", "Hooli", "domains", List.of("hooli.com")))
                .json().get("id").asLong();
        Directory.Contact created = directory().createContact("Gavin@Hooli.com", "Gavin", null);
        assertThat(created.companyId()).isEqualTo(company);
        assertThat(directory().createContact("gavin@hooli.com", "Other", null)).isEqualTo(created);
        assertThatThrownBy(() -> directory().createContact("not an address", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(directory().isKnownSender("ANN@example.com")).isTrue();
        assertThat(directory().isKnownSender("gavin@HOOLI.com")).isTrue();
        assertThat(directory().isKnownSender("stranger@example.org")).isFalse();
    }
}
