package io.mailroom.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.route.PluginRoutes;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.TestPluginSources;
import io.mailroom.testkit.PluginJarBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The security matrix: every registered route (the host's, as the running server lists them, and
 * a plugin's, as the plugin host mounted them) called with no token, a malformed
 * {@code Authorization} header, a wrong token, a user's token, a superadmin's token, and, for a
 * route that names an object, by another user on user Ann's real object (mailbox, message,
 * thread, quarantined mail, poll, rule, template, token, plugin record). Expected per API.md:
 * 401 without a valid token, 403 for a user on a superadmin route, 404 for another user's object
 * (never 403, 200 or 500), and never a 500 anywhere.
 *
 * <p>{@link #ACCESS} classifies every route; a route the server registers that is not in it
 * fails the test, so a new route cannot escape the matrix.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityMatrixTest {

    /** Who may call a route. */
    enum Access {
        /** outside /api and not /metrics: no token needed (/, /health, /openapi.json, the admin pages' files) */
        OPEN,
        /** /api/docs: a static page over /openapi.json; no token is fine, a wrong one is a 401 */
        DOCS,
        /** the OAuth callback: the provider sends the browser without a token, the signed state is the credential */
        OAUTH_CALLBACK,
        /** /metrics: a token with the metrics capability (or a superadmin) */
        METRICS,
        /** any user with a valid token; no object of another user in the path */
        USER,
        /** superadmins only: a user gets 403 */
        SUPERADMIN,
        /** names an object of its owner (in the path, or the query for authorize): another user gets 404 */
        OWNED
    }

    /** Every route by {@code METHOD path}, as registered; a new route must be added here. */
    static final Map<String, Access> ACCESS = Map.ofEntries(
            entry("GET /", Access.OPEN),
            entry("GET /health", Access.OPEN),
            entry("GET /openapi.json", Access.OPEN),
            entry("GET /metrics", Access.METRICS),
            entry("GET /admin", Access.OPEN),
            entry("GET /admin/{file}", Access.OPEN),
            entry("GET /admin/js/{file}", Access.OPEN),
            entry("GET /admin/vendor/swagger-ui/{file}", Access.OPEN),
            entry("GET /admin/mailboxes/{id}", Access.OPEN),
            entry("GET /api/docs", Access.DOCS),
            entry("GET /api/me", Access.USER),
            entry("GET /api/plugins", Access.USER),
            entry("PUT /api/plugins/{id}", Access.SUPERADMIN),
            entry("GET /api/sources", Access.USER),
            entry("GET /api/sinks", Access.USER),
            entry("GET /api/maintenance", Access.SUPERADMIN),
            entry("POST /api/maintenance", Access.SUPERADMIN),
            entry("GET /api/maintenance/housekeeping", Access.SUPERADMIN),
            entry("POST /api/maintenance/housekeeping", Access.SUPERADMIN),
            entry("GET /api/stats", Access.USER),
            entry("GET /api/users", Access.SUPERADMIN),
            entry("POST /api/users", Access.SUPERADMIN),
            entry("GET /api/users/{id}", Access.SUPERADMIN),
            entry("PUT /api/users/{id}", Access.SUPERADMIN),
            entry("DELETE /api/users/{id}", Access.SUPERADMIN),
            entry("GET /api/tokens", Access.USER),
            entry("POST /api/tokens", Access.USER),
            entry("DELETE /api/tokens/{id}", Access.OWNED),
            entry("GET /api/mailboxes", Access.USER),
            entry("POST /api/mailboxes", Access.USER),
            entry("GET /api/mailboxes/{id}", Access.OWNED),
            entry("PUT /api/mailboxes/{id}", Access.OWNED),
            entry("DELETE /api/mailboxes/{id}", Access.OWNED),
            entry("POST /api/mailboxes/{id}/clone", Access.OWNED),
            entry("POST /api/mailboxes/{id}/test", Access.OWNED),
            entry("GET /api/mailboxes/{id}/folders", Access.OWNED),
            entry("GET /api/mailboxes/{id}/polls", Access.OWNED),
            entry("GET /api/mailboxes/{id}/polls/{poll_id}", Access.OWNED),
            entry("GET /api/mailboxes/{id}/skipped", Access.OWNED),
            entry("POST /api/mailboxes/{id}/skipped/{key}/take", Access.OWNED),
            entry("POST /api/mailboxes/{id}/sync", Access.OWNED),
            entry("POST /api/mailboxes/{id}/oauth/refresh", Access.OWNED),
            entry("POST /api/mailboxes/{id}/filter/preview", Access.OWNED),
            entry("GET /api/messages", Access.USER),
            entry("GET /api/messages/{id}", Access.OWNED),
            entry("GET /api/messages/{id}/raw", Access.OWNED),
            entry("GET /api/messages/{id}/attachments/{index}", Access.OWNED),
            entry("POST /api/messages/{id}/reprocess", Access.OWNED),
            entry("GET /api/messages/{id}/delivery", Access.OWNED),
            entry("GET /api/threads", Access.USER),
            entry("GET /api/threads/{id}/messages", Access.OWNED),
            entry("GET /api/quarantine", Access.USER),
            entry("POST /api/quarantine/{id}/retry", Access.OWNED),
            entry("GET /api/notifications", Access.USER),
            entry("GET /api/oauth/providers", Access.USER),
            entry("PUT /api/oauth/providers/{id}", Access.SUPERADMIN),
            entry("GET /api/oauth/{provider}/authorize", Access.OWNED),
            entry("GET /api/oauth/{provider}/callback", Access.OAUTH_CALLBACK),
            entry("POST /api/send", Access.USER),
            entry("GET /api/templates", Access.USER),
            entry("POST /api/templates", Access.USER),
            entry("GET /api/templates/{id}", Access.OWNED),
            entry("PUT /api/templates/{id}", Access.OWNED),
            entry("DELETE /api/templates/{id}", Access.OWNED),
            entry("GET /api/companies", Access.SUPERADMIN),
            entry("POST /api/companies", Access.SUPERADMIN),
            entry("GET /api/companies/{id}", Access.SUPERADMIN),
            entry("PUT /api/companies/{id}", Access.SUPERADMIN),
            entry("DELETE /api/companies/{id}", Access.SUPERADMIN),
            entry("GET /api/contacts", Access.SUPERADMIN),
            entry("POST /api/contacts", Access.SUPERADMIN),
            entry("GET /api/contacts/{id}", Access.SUPERADMIN),
            entry("PUT /api/contacts/{id}", Access.SUPERADMIN),
            entry("DELETE /api/contacts/{id}", Access.SUPERADMIN),
            entry("POST /api/filters/validate", Access.USER),
            entry("GET /api/rules", Access.USER),
            entry("POST /api/rules", Access.USER),
            entry("GET /api/rules/{id}", Access.OWNED),
            entry("PUT /api/rules/{id}", Access.OWNED),
            entry("DELETE /api/rules/{id}", Access.OWNED),
            entry("POST /api/rules/{id}/preview", Access.OWNED),
            entry("POST /api/schedules/preview", Access.USER),
            // the test plugin's routes (mounted through PluginRouteDispatch)
            entry("GET /api/memos", Access.USER),
            entry("POST /api/memos", Access.USER),
            entry("GET /api/memos/{id}", Access.OWNED),
            entry("DELETE /api/memos", Access.SUPERADMIN));

    /**
     * Owned routes whose owner may get a 404 all the same: the object has no such part here.
     * Another user's 404 is still asserted, though it then proves less.
     */
    private static final Set<String> OWNER_MAY_MISS = Set.of(
            // an inbound message has no delivery record
            "GET /api/messages/{id}/delivery",
            // no OAuth provider plugin runs in this test; OAuthFlowTest covers another user's mailbox there
            "GET /api/oauth/{provider}/authorize");

    /** Bodies for the calls that need one to get past validation to the question asked. */
    private static final Map<String, Object> BODIES = new HashMap<>();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    @TempDir
    static Path dir;
    static TestMailroom mailroom;
    static ApiClient admin;
    static ApiClient ann;
    static ApiClient bob;
    static String annToken;
    /** Ann's objects by the route prefix that names them. */
    static final Map<String, String> ANNS = new LinkedHashMap<>();
    /** The other placeholders' values. */
    static final Map<String, String> VALUES = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJarBuilder.plugin("shelf").source("sample.shelf.Source", TestPluginSources.emlDirectorySource("matrixshelf"))
                .service(MailSource.class, "sample.shelf.Source").buildJar(plugins);
        PluginJarBuilder.plugin("memo").source("sample.memo.Routes", MEMO_PLUGIN)
                .service(PluginRoutes.class, "sample.memo.Routes").buildJar(plugins);
        Path shelf = Files.createDirectories(dir.resolve("shelf"));
        System.setProperty("matrixshelf.dir", shelf.toString());
        for (int uid = 1; uid <= 2; uid++) {
            Files.writeString(shelf.resolve(uid + ".eml"), "From: Carol <carol@acme.example>\r\nTo: ann@example.com\r\n"
                    + "Subject: " + (uid == 1 ? "Keep" : "Pass") + " " + uid + "\r\nMessage-ID: <" + uid + "@matrix.example>\r\n"
                    + "Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                    + "--b\r\nContent-Type: text/plain\r\n\r\nHello " + uid + "\r\n"
                    + "--b\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nattached\r\n--b--\r\n");
        }
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
        long annId = created(admin.post("/api/users", Map.of("name", "Ann", "email", "ann@matrix.example", "role", "user")));
        long bobId = created(admin.post("/api/users", Map.of("name", "Bob", "email", "bob@matrix.example", "role", "user")));
        long carolId = created(admin.post("/api/users", Map.of("name", "Carol", "email", "carol@matrix.example", "role", "user")));
        annToken = admin.post("/api/tokens", Map.of("user_id", annId)).json().get("token").asText();
        ann = mailroom.client(annToken);
        bob = mailroom.client(admin.post("/api/tokens", Map.of("user_id", bobId)).json().get("token").asText());
        // a second token of Ann's: the one the matrix revokes
        assertThat(ann.post("/api/tokens", Map.of("user_id", annId, "name", "spare")).status()).isEqualTo(201);
        long tokenId = ann.get("/api/tokens").json().get("items").findValues("id").stream().mapToLong(JsonNode::asLong).max().orElseThrow();

        Map<String, Object> mailbox = new HashMap<>(Map.of("name", "Ann's desk", "email", "ann@example.com", "source", "matrixshelf"));
        mailbox.put("filter_query", Map.of("field", "subject", "op", "starts_with", "value", "Keep"));
        long mailboxId = created(ann.post("/api/mailboxes", mailbox));
        Reply poll = ann.post("/api/mailboxes/" + mailboxId + "/sync?wait=true", null);
        assertThat(poll.status()).as(poll.body()).isEqualTo(200);
        long pollId = poll.json().get("id").asLong();
        JsonNode message = ann.get("/api/messages?mailbox_id=" + mailboxId).json().get("items").get(0);
        long messageId = message.get("id").asLong();
        long quarantineId = mailroom.mailroom().core().database().jdbi().withHandle(handle -> handle.createUpdate(
                        "INSERT INTO quarantine (mailbox_id, folder, uid_validity, server_key, content_hash, size, reason) "
                                + "SELECT mailbox_id, 'INBOX', 3, 'q1', content_hash, size, 'unparseable' FROM messages WHERE id = ?")
                .bind(0, messageId).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        long templateId = created(ann.post("/api/templates", Map.of("name", "ack", "subject", "Re", "text", "Thanks")));
        long ruleId = created(ann.post("/api/rules", Map.of("mailbox_id", mailboxId, "name", "tag all",
                "actions", List.of(Map.of("type", "tag", "data", Map.of("tag", "seen-by-rule"))))));
        long memoId = created(ann.post("/api/memos", Map.of("text", "Ann's memo")));
        long companyId = created(admin.post("/api/companies", Map.of("name", "Acme", "domains", List.of("acme.example"))));
        long contactId = created(admin.post("/api/contacts", Map.of("email", "carol@acme.example", "name", "Carol")));

        ANNS.put("/api/mailboxes/", Long.toString(mailboxId));
        ANNS.put("/api/messages/", Long.toString(messageId));
        ANNS.put("/api/threads/", message.get("thread_id").asText());
        ANNS.put("/api/quarantine/", Long.toString(quarantineId));
        ANNS.put("/api/rules/", Long.toString(ruleId));
        ANNS.put("/api/templates/", Long.toString(templateId));
        ANNS.put("/api/tokens/", Long.toString(tokenId));
        ANNS.put("/api/memos/", Long.toString(memoId));
        ANNS.put("/api/users/", Long.toString(carolId));
        ANNS.put("/api/companies/", Long.toString(companyId));
        ANNS.put("/api/contacts/", Long.toString(contactId));
        ANNS.put("/api/plugins/", "memo");
        ANNS.put("/api/oauth/providers/", "google");
        ANNS.put("/admin/mailboxes/", Long.toString(mailboxId));
        VALUES.put("poll_id", Long.toString(pollId));
        VALUES.put("key", "2");
        VALUES.put("index", "0");
        VALUES.put("provider", "google");
        VALUES.put("file", "index.html");

        BODIES.put("PUT /api/plugins/{id}", Map.of("enabled", true));
        BODIES.put("POST /api/maintenance", Map.of("paused", false));
        BODIES.put("PUT /api/users/{id}", Map.of("name", "Carol C."));
        BODIES.put("PUT /api/mailboxes/{id}", Map.of("name", "Ann's desk"));
        BODIES.put("POST /api/mailboxes/{id}/filter/preview", Map.of("filter_query", Map.of("field", "subject", "op", "contains", "value", "Keep")));
        BODIES.put("PUT /api/templates/{id}", Map.of("name", "ack", "subject", "Re", "text", "Thanks again"));
        BODIES.put("PUT /api/rules/{id}", Map.of("name", "tag all"));
        BODIES.put("POST /api/memos", Map.of("text", "another"));
        BODIES.put("POST /api/filters/validate", Map.of("filter_query", Map.of("field", "subject", "op", "contains", "value", "x")));
    }

    @AfterAll
    static void stop() {
        mailroom.close();
        System.clearProperty("matrixshelf.dir");
    }

    private static long created(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isIn(200, 201);
        return reply.json().get("id").asLong();
    }

    /** The routes the server registered and the plugins mounted, as {@code METHOD path}. */
    private static Set<String> registered() {
        Set<String> routes = new TreeSet<>();
        mailroom.mailroom().server().routes().forEach(route -> routes.add(route.method() + " " + route.path()));
        mailroom.mailroom().core().plugins().routes().mounted().forEach(route -> routes.add(route.method() + " " + route.fullPath()));
        return routes;
    }

    @Test
    @Order(0)
    void every_registered_route_is_classified() {
        Set<String> registered = registered();
        Set<String> unclassified = new TreeSet<>(registered);
        unclassified.removeAll(ACCESS.keySet());
        Set<String> gone = new TreeSet<>(ACCESS.keySet());
        gone.removeAll(registered);

        assertThat(unclassified).as("routes the security matrix does not know: add each to SecurityMatrixTest.ACCESS "
                + "with who may call it (USER, SUPERADMIN, OWNED when it names a user's object, ...), and an object "
                + "of user Ann's for its path placeholders when it has any").isEmpty();
        assertThat(gone).as("routes in SecurityMatrixTest.ACCESS that the server no longer registers: remove them").isEmpty();
    }

    /** Last: it deletes Ann's objects on the way. */
    @Test
    @Order(3)
    void every_route_answers_each_caller_as_api_md_says() {
        List<String> problems = new ArrayList<>();
        // destructive calls last, and Ann's mailbox (everything hangs off it) the very last
        List<String> routes = registered().stream().filter(ACCESS::containsKey)
                .sorted(Comparator.comparing((String route) -> route.startsWith("DELETE /api/mailboxes/"))
                        .thenComparing(route -> route.startsWith("DELETE "))
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        for (String route : routes) {
            check(route, problems);
        }
        assertThat(problems).as("calls that answered against API.md").isEmpty();
    }

    private void check(String route, List<String> problems) {
        Access access = ACCESS.get(route);
        String method = route.substring(0, route.indexOf(' '));
        String template = route.substring(route.indexOf(' ') + 1);
        String path = concrete(template);
        Object body = BODIES.getOrDefault(route, method.equals("POST") || method.equals("PUT") ? Map.of() : null);

        Reply anonymous = mailroom.client(null).send(method, path, body);
        Reply malformed = mailroom.client(null).send(method, path, body, Map.of("Authorization", "Basic dGVzdDp0ZXN0"));
        Reply wrong = mailroom.client("mr_test-not-a-token").send(method, path, body);
        switch (access) {
            case OPEN -> {
                expectNot(problems, route, "no token", anonymous, 401, 403, 500);
                return;
            }
            case DOCS -> expect(problems, route, "no token", anonymous, 200);
            case OAUTH_CALLBACK -> expect(problems, route, "no token", anonymous, 400);
            default -> expect(problems, route, "no token", anonymous, 401);
        }
        expect(problems, route, "malformed header", malformed, 401);
        expect(problems, route, "wrong token", wrong, 401);
        switch (access) {
            case SUPERADMIN -> {
                Reply user = bob.send(method, path, body);
                expect(problems, route, "user", user, 403);
                expectNot(problems, route, "superadmin", admin.send(method, path, body), 401, 403, 500);
            }
            case METRICS -> {
                expect(problems, route, "user", bob.send(method, path, body), 403);
                expect(problems, route, "superadmin", admin.send(method, path, body), 200);
            }
            case OWNED -> {
                Reply other = bob.send(method, path, body);
                expect(problems, route, "another user's object", other, 404);
                if (other.status() == 404 && other.body().contains(ANNS.getOrDefault(prefixOf(template), "\u0000") + "\"")) {
                    problems.add(route + ": the 404 for another user's object tells it apart: " + other.body());
                }
                if (OWNER_MAY_MISS.contains(route)) {
                    expectNot(problems, route, "the owner", ann.send(method, path, body), 401, 403, 500);
                } else {
                    expectNot(problems, route, "the owner", ann.send(method, path, body), 401, 403, 404, 500);
                }
                // a superadmin sees every object; the owner's call may have used it up (a retry, a delete)
                expectNot(problems, route, "superadmin", admin.send(method, path, body), 401, 403, 500);
            }
            default -> {
                expectNot(problems, route, "user", bob.send(method, path, body), 401, 403, 500);
                expectNot(problems, route, "superadmin", admin.send(method, path, body), 401, 403, 500);
            }
        }
    }

    /**
     * Another user's object named in a query or a body: a 404, or the 400 naming the field that a
     * missing object gets, but always the same answer as for an id that does not exist, so the
     * answer does not tell that it exists.
     */
    @Test
    @Order(2)
    void another_users_objects_named_in_a_query_or_body_answer_as_missing_ones() {
        long mailbox = Long.parseLong(ANNS.get("/api/mailboxes/"));
        long annId = ann.get("/api/me").json().get("id").asLong();
        for (String list : List.of("/api/messages?mailbox_id=", "/api/threads?mailbox_id=", "/api/quarantine?mailbox_id=")) {
            Reply reply = bob.get(list + mailbox);
            assertThat(reply.status() == 404 || reply.status() == 200 && reply.json().get("total").asInt() == 0)
                    .as("%s as another user: %s %s", list, reply.status(), reply.body()).isTrue();
            assertSameAnswer(reply, bob.get(list + MISSING), mailbox);
        }
        Map<String, java.util.function.LongFunction<Map<String, Object>>> posts = new LinkedHashMap<>();
        posts.put("/api/send", id -> Map.of("mailbox_id", id, "to", List.of("x@example.com"), "subject", "s", "text", "t"));
        posts.put("/api/rules", id -> Map.of("mailbox_id", id, "name", "steal",
                "actions", List.of(Map.of("type", "tag", "data", Map.of("tag", "x")))));
        posts.put("/api/tokens", id -> Map.of("user_id", id == MISSING ? MISSING : annId));
        posts.forEach((path, body) -> {
            Reply reply = bob.post(path, body.apply(mailbox));
            assertThat(reply.status()).as("POST %s naming Ann's object as Bob: %s", path, reply.body()).isIn(400, 404);
            assertSameAnswer(reply, bob.post(path, body.apply(MISSING)), path.equals("/api/tokens") ? annId : mailbox);
        });
        Reply authorize = bob.get("/api/oauth/google/authorize?mailbox_id=" + mailbox);
        assertThat(authorize.status()).as(authorize.body()).isEqualTo(404);
    }

    private static final long MISSING = 999_999;

    private static void assertSameAnswer(Reply other, Reply missing, long id) {
        assertThat(other.status()).as("the same status as for a missing id: %s / %s", other.body(), missing.body())
                .isEqualTo(missing.status());
        assertThat(other.body().replace(Long.toString(id), "ID")).as("the same answer as for a missing id")
                .isEqualTo(missing.body().replace(Long.toString(MISSING), "ID"));
    }

    @Test
    @Order(1)
    void lists_show_another_user_none_of_anns_objects() {
        Map<String, String> lists = Map.of("/api/mailboxes", "/api/mailboxes/", "/api/messages", "/api/messages/",
                "/api/threads", "/api/threads/", "/api/quarantine", "/api/quarantine/", "/api/rules", "/api/rules/",
                "/api/templates", "/api/templates/", "/api/tokens", "/api/tokens/", "/api/memos", "/api/memos/");
        lists.forEach((list, object) -> {
            Reply reply = bob.get(list);
            assertThat(reply.status()).as(list).isEqualTo(200);
            Set<String> ids = reply.json().get("items").findValues("id").stream().map(JsonNode::asText)
                    .collect(Collectors.toSet());
            assertThat(ids).as("%s as Bob", list).doesNotContain(ANNS.get(object));
            Reply own = ann.get(list);
            assertThat(own.json().get("items").findValues("id").stream().map(JsonNode::asText).toList())
                    .as("%s as Ann", list).contains(ANNS.get(object));
        });
    }

    private static String prefixOf(String template) {
        return ANNS.keySet().stream().filter(template::startsWith).findFirst().orElse("");
    }

    /** The route's path with Ann's objects (and fixed values) for its placeholders. */
    private static String concrete(String template) {
        String prefix = prefixOf(template);
        String path = template;
        if (!prefix.isEmpty() && template.length() > prefix.length() && template.charAt(prefix.length()) == '{') {
            path = prefix + ANNS.get(prefix) + template.substring(template.indexOf('}', prefix.length()) + 1);
        }
        Matcher matcher = PLACEHOLDER.matcher(path);
        StringBuilder concrete = new StringBuilder();
        while (matcher.find()) {
            String value = VALUES.get(matcher.group(1));
            if (value == null) {
                fail("SecurityMatrixTest does not know what to put for {%s} in %s: add an object of Ann's to ANNS or VALUES",
                        matcher.group(1), template);
            }
            matcher.appendReplacement(concrete, value);
        }
        matcher.appendTail(concrete);
        if (template.equals("/api/oauth/{provider}/authorize")) {
            concrete.append("?mailbox_id=").append(ANNS.get("/api/mailboxes/"));
        }
        return concrete.toString();
    }

    private static void expect(List<String> problems, String route, String caller, Reply reply, int status) {
        if (reply.status() != status) {
            problems.add(route + " as " + caller + ": " + reply.status() + " instead of " + status + ": " + shorten(reply.body()));
            return;
        }
        String code = Map.of(401, "unauthorized", 403, "forbidden", 404, "not_found").get(status);
        if (code != null && !reply.body().contains("\"error\":\"" + code + "\"")) {
            problems.add(route + " as " + caller + ": " + status + " without error '" + code + "': " + shorten(reply.body()));
        }
    }

    private static void expectNot(List<String> problems, String route, String caller, Reply reply, int... statuses) {
        for (int status : statuses) {
            if (reply.status() == status) {
                problems.add(route + " as " + caller + ": " + status + ": " + shorten(reply.body()));
            }
        }
    }

    private static String shorten(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    /**
     * A third party's plugin with routes: memos kept in memory, each its author's; another
     * user's memo is a 404, and deleting all of them is for a superadmin.
     */
    private static final String MEMO_PLUGIN = """
            package sample.memo;

            import io.mailroom.api.route.PluginRoute;
            import io.mailroom.api.route.PluginRoute.Access;
            import io.mailroom.api.route.PluginRoutes;
            import io.mailroom.api.route.RouteException;
            import io.mailroom.api.route.RouteResponse;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.concurrent.atomic.AtomicLong;

            public class Routes implements PluginRoutes {
                record Memo(long id, long ownerId, String text) { }
                private static final Map<Long, Memo> MEMOS = new ConcurrentHashMap<>();
                private static final AtomicLong IDS = new AtomicLong();
                @Override public String id() { return "memo"; }
                @Override public List<PluginRoute> routes() {
                    return List.of(
                        new PluginRoute("GET", "/memos", Access.USER, "The caller's memos", (request, context) ->
                            RouteResponse.ok(Map.of("items", MEMOS.values().stream().filter(m -> m.ownerId() == request.callerId()).toList()))),
                        new PluginRoute("POST", "/memos", Access.USER, "Adds a memo", (request, context) -> {
                            Object text = request.body() instanceof Map<?, ?> body ? body.get("text") : null;
                            if (!(text instanceof String string)) {
                                throw new RouteException(400, "invalid_request", "text", "text is required");
                            }
                            Memo memo = new Memo(IDS.incrementAndGet(), request.callerId(), string);
                            MEMOS.put(memo.id(), memo);
                            return RouteResponse.created(memo);
                        }),
                        new PluginRoute("GET", "/memos/{id}", Access.USER, "One memo", (request, context) -> {
                            Memo memo;
                            try {
                                memo = MEMOS.get(Long.parseLong(request.pathParameters().get("id")));
                            } catch (NumberFormatException e) {
                                memo = null;
                            }
                            if (memo == null || memo.ownerId() != request.callerId() && !request.callerSuperadmin()) {
                                throw new RouteException(404, "not_found", null, "no such memo");
                            }
                            return RouteResponse.ok(memo);
                        }),
                        new PluginRoute("DELETE", "/memos", Access.SUPERADMIN, "Deletes every memo", (request, context) -> {
                            MEMOS.clear();
                            return RouteResponse.noContent();
                        }));
                }
            }
            """;
}
