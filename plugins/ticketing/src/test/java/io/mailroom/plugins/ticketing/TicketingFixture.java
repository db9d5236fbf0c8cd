package io.mailroom.plugins.ticketing;

import io.mailroom.api.Outcome;
import io.mailroom.api.Settings;
import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.route.PluginRoute;
import io.mailroom.api.route.RouteRequest;
import io.mailroom.api.route.RouteResponse;
import io.mailroom.testkit.context.FakeContext;
import io.mailroom.testkit.context.FakeDirectory;
import io.mailroom.testkit.context.FakeMailboxes;
import io.mailroom.testkit.context.FakeTemplates;
import io.mailroom.testkit.context.RecordingNotifier;
import io.mailroom.testkit.context.RecordingOutboundMail;
import io.mailroom.testkit.database.PluginTestDatabase;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host would give the plugin, for its tests: a fresh migrated database of its own, and
 * in-memory directory, outbox, templates, mailboxes and notifications. Two mailboxes: {@link #SUPPORT}
 * owned by user {@value #ANN}, {@link #SALES} owned by user {@value #BOB}.
 */
class TicketingFixture {

    static final long ANN = 3;
    static final long BOB = 4;
    static final long SUPPORT = 1;
    static final long SALES = 2;

    final DataSource database = PluginTestDatabase.migrated("ticketing");
    final FakeDirectory directory = new FakeDirectory();
    final RecordingOutboundMail outbox = new RecordingOutboundMail();
    final FakeMailboxes mailboxes = new FakeMailboxes();
    final RecordingNotifier notifier = new RecordingNotifier();
    final FakeTemplates templates = new FakeTemplates();
    final FakeContext context = new FakeContext("ticketing").database(database).directory(directory)
            .outboundMail(outbox).mailboxes(mailboxes).notifier(notifier).templates(templates)
            .clock(Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC));
    final TicketingSink sink = new TicketingSink();
    final TicketRoutes routes = new TicketRoutes();

    TicketingFixture() {
        mailboxes.add(new MailboxInfo(SUPPORT, "Support", "support@mailroom.test", ANN, null, "ticketing"));
        mailboxes.add(new MailboxInfo(SALES, "Sales", "sales@mailroom.test", BOB, null, "ticketing"));
    }

    Outcome deliver(MessageView message) {
        return deliver(message, Map.of());
    }

    Outcome deliver(MessageView message, Map<String, String> settings) {
        return sink.deliver(message, Settings.of(settings), context);
    }

    /** Calls the route {@code method template} (as declared) as user {@code callerId}. */
    RouteResponse call(long callerId, String method, String template, Map<String, String> pathParameters,
                       Map<String, String> query, Object body) {
        return handle(callerId, false, method, template, pathParameters, query, body);
    }

    /** Calls the route as a superadmin. */
    RouteResponse superadmin(String method, String template, Map<String, String> pathParameters,
                             Map<String, String> query, Object body) {
        return handle(1, true, method, template, pathParameters, query, body);
    }

    private RouteResponse handle(long callerId, boolean superadmin, String method, String template,
                                 Map<String, String> pathParameters, Map<String, String> query, Object body) {
        PluginRoute route = routes.routes().stream()
                .filter(candidate -> candidate.method().equals(method) && candidate.path().equals(template))
                .findFirst().orElseThrow();
        Map<String, List<String>> queryLists = new HashMap<>();
        query.forEach((name, value) -> queryLists.put(name, List.of(value)));
        return route.handler().handle(new RouteRequest(method, template, callerId, superadmin, pathParameters,
                queryLists, body), context);
    }

    /** A response's body, a JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(RouteResponse response) {
        return (Map<String, Object>) response.body();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> ticket(long callerId, String ref) {
        return (Map<String, Object>) call(callerId, "GET", "/tickets/{ref}", Map.of("ref", ref), Map.of(), null).body();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tickets(long callerId, Map<String, String> query) {
        Map<String, Object> body = (Map<String, Object>) call(callerId, "GET", "/tickets", Map.of(), query, null).body();
        return (List<Map<String, Object>>) body.get("items");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> review(long callerId) {
        Map<String, Object> body = (Map<String, Object>) call(callerId, "GET", "/tickets/review", Map.of(), Map.of(),
                null).body();
        return (List<Map<String, Object>>) body.get("items");
    }
}
