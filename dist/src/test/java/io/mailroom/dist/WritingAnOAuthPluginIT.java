package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.MailroomCore;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.testkit.GuideFiles;
import io.mailroom.testkit.PluginJarBuilder;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/writing-an-oauth-plugin.md, followed to the letter: the files it shows are taken from the
 * page itself, the class is compiled against the api alone, the jar is packed with the page's
 * {@code META-INF/services} file and {@code plugin.properties} (no manifest descriptor) and dropped
 * into the plugins directory beside the packaged IMAP plugin. The provider is configured through
 * {@code mailroom.oauth.acme.*} with its endpoints at mock-oauth2-server, shows up in
 * {@code /api/oauth/providers}, authorizes a mailbox through authorize and callback, and the mailbox
 * then syncs from GreenMail over XOAUTH2 with the access token the provider issued.
 */
class WritingAnOAuthPluginIT {

    private static final Path GUIDE = InstalledPlugins.DIST.resolve("../../../docs/writing-an-oauth-plugin.md").normalize();
    private static final String ACCOUNT = "ann@example.com";
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;

    @Test
    void the_provider_the_guide_builds_connects_a_mailbox_that_syncs_over_xoauth2() throws Exception {
        Map<String, String> files = GuideFiles.read(GUIDE);
        assertThat(files.keySet()).as("the files the guide shows").contains("acme-oauth/pom.xml",
                "acme-oauth/src/main/java/com/example/acme/AcmeOAuthProvider.java",
                "acme-oauth/src/main/resources/META-INF/services/io.mailroom.api.oauth.OAuthProvider",
                "acme-oauth/src/main/resources/plugin.properties");
        assertThat(GuideFiles.mainFiles(files)).as("four files make the plugin").hasSize(4);
        assertThat(files.get("acme-oauth/pom.xml")).contains("<artifactId>mailroom-api</artifactId>")
                .containsPattern("<artifactId>mailroom-api</artifactId>\\s*<version>[^<]+</version>\\s*<scope>provided</scope>")
                .containsPattern("<artifactId>mailroom-oauth-testkit</artifactId>\\s*<version>[^<]+</version>\\s*<scope>test</scope>");
        buildPluginAsTheGuideSays(files, dir.resolve("plugins"));
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic");

        MockOAuth2Server oauth = new MockOAuth2Server(new OAuth2Config(false, null, null, true));
        oauth.start(InetAddress.getLoopbackAddress(), 0);
        GreenMail greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mailroom.oauth.acme.client_id", "acme-client");
        settings.put("mailroom.oauth.acme.client_secret", "acme-secret");
        settings.put("mailroom.oauth.acme.authorization_endpoint", oauth.authorizationEndpointUrl("acme").toString());
        settings.put("mailroom.oauth.acme.token_endpoint", oauth.tokenEndpointUrl("acme").toString());
        try (TestMailroom mailroom = TestMailroom.start(dir, settings)) {
            ApiClient admin = mailroom.admin();
            String base = "http://localhost:" + mailroom.mailroom().port();

            JsonNode plugin = find(admin.get("/api/plugins").json(), "acme-oauth");
            assertThat(plugin.toString()).contains("\"OAuthProvider\":[\"acme\"]");
            JsonNode provider = find(admin.get("/api/oauth/providers").json(), "acme");
            assertThat(provider.get("name").asText()).isEqualTo("Acme Mail");
            assertThat(provider.get("enabled").asBoolean()).as(provider.toString()).isTrue();
            assertThat(provider.get("redirect_uri").asText()).isEqualTo(base + "/api/oauth/acme/callback");

            Reply created = admin.post("/api/mailboxes", Map.of("name", "Ann", "email", ACCOUNT, "source", "imap",
                    "settings", Map.of("host", "127.0.0.1", "port", greenMail.getImap().getPort(), "security", "none",
                            "username", ACCOUNT, "password", "not-used")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long id = created.json().get("id").asLong();

            HttpResponse<String> toProvider = send(HttpRequest.newBuilder(
                    URI.create(base + "/api/oauth/acme/authorize?mailbox_id=" + id))
                    .header("Authorization", "Bearer " + mailroom.adminToken()).GET().build());
            assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
            URI authorization = URI.create(toProvider.headers().firstValue("Location").orElseThrow());
            assertThat(authorization.toString()).startsWith(oauth.authorizationEndpointUrl("acme").toString())
                    .contains("scope=mail.read+mail.send+openid+email");
            oauth.enqueueCallback(new DefaultOAuth2TokenCallback("acme", ACCOUNT, "JWT", List.of("acme-client"),
                    Map.of("email", ACCOUNT), 3600));
            HttpResponse<String> back = send(HttpRequest.newBuilder(authorization).GET().build());
            assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
            HttpResponse<String> callback = send(HttpRequest.newBuilder(
                    URI.create(back.headers().firstValue("Location").orElseThrow()))
                    .header("Authorization", "Bearer " + mailroom.adminToken()).header("Accept", "application/json")
                    .GET().build());
            assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
            assertThat(callback.body()).contains("\"account\":\"" + ACCOUNT + "\"");
            JsonNode mailbox = admin.get("/api/mailboxes/" + id).json();
            assertThat(mailbox.get("auth").asText()).isEqualTo("oauth:acme");

            // GreenMail's XOAUTH2 takes the user's password as the token: give it the one Acme issued
            String accessToken = accessToken(mailroom.mailroom().core(), id);
            GreenMailUser user = greenMail.setUser(ACCOUNT, ACCOUNT, accessToken);
            user.deliver(GreenMailUtil.newMimeMessage("From: bob@example.com\r\nTo: " + ACCOUNT
                    + "\r\nSubject: Hello over OAuth\r\nMessage-ID: <acme-1@example.com>\r\n\r\nIt works.\r\n"));
            Reply poll = admin.post("/api/mailboxes/" + id + "/sync?wait=true", null);

            assertThat(poll.status()).as(poll.body()).isEqualTo(200);
            assertThat(poll.json().get("status").asText()).as(poll.body()).isEqualTo("ok");
            assertThat(poll.json().get("stored").asInt()).isEqualTo(1);
            assertThat(admin.get("/api/messages?mailbox_id=" + id).body()).contains("Hello over OAuth");
        } finally {
            greenMail.stop();
            oauth.shutdown();
        }
    }

    /** The guide's class compiled against the api alone, its two resources packed as they are. */
    private static void buildPluginAsTheGuideSays(Map<String, String> files, Path plugins) throws IOException {
        String apiOnly = Path.of(OAuthProvider.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        PluginJarBuilder jar = PluginJarBuilder.plugin("acme-oauth").withoutDescriptor().classPath(apiOnly)
                .fileName("acme-oauth-1.0.0.jar");
        GuideFiles.mainFiles(files).forEach((path, content) -> {
            if (path.contains("/src/main/java/")) {
                String className = path.substring(path.indexOf("/src/main/java/") + "/src/main/java/".length(),
                        path.length() - ".java".length()).replace('/', '.');
                jar.source(className, content);
            } else if (path.contains("/src/main/resources/")) {
                jar.resource(path.substring(path.indexOf("/src/main/resources/") + "/src/main/resources/".length()), content);
            }
        });
        jar.buildJar(Files.createDirectories(plugins));
    }

    /** The access token the mailbox logs in with, as the sync asks for it. */
    private static String accessToken(MailroomCore core, long mailboxId) {
        Mailbox mailbox = core.database().jdbi().onDemand(MailboxDao.class).find(mailboxId).orElseThrow();
        return core.oauthTokens().credential(mailbox, ACCOUNT).secret();
    }

    private static JsonNode find(JsonNode items, String id) {
        for (JsonNode item : items) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no " + id + " in " + items);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return BROWSER.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
