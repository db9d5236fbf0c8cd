package sample.notes;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.api.outbound.Templates;
import io.mailroom.api.route.PluginRoute;
import io.mailroom.api.route.PluginRoute.Access;
import io.mailroom.api.route.PluginRoutes;
import io.mailroom.api.route.RouteException;
import io.mailroom.api.route.RouteRequest;
import io.mailroom.api.route.RouteResponse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of the sample plugin the host's tests load: notes kept in the plugin's own table
 * (db/plugins/notes/), and a few routes that reach the host's services through the context.
 */
public class NotesRoutes implements PluginRoutes {

    /** A note as the API shows it; the host's JSON mapper names the fields in snake_case. */
    public record Note(long id, long ownerId, String text) {
    }

    @Override
    public String id() {
        return "notes";
    }

    @Override
    public List<PluginRoute> routes() {
        return List.of(
                new PluginRoute("POST", "/notes", Access.USER, "Adds a note", NotesRoutes::add),
                new PluginRoute("GET", "/notes", Access.USER, "The caller's notes, ?contains= filters", NotesRoutes::list),
                new PluginRoute("GET", "/notes/{id}", Access.USER, "One note", NotesRoutes::one),
                new PluginRoute("GET", "/notes/mine", Access.USER, "A literal segment beside {id}",
                        (request, context) -> RouteResponse.ok(Map.of("route", request.path()))),
                new PluginRoute("DELETE", "/notes", Access.SUPERADMIN, "Deletes every note", NotesRoutes::clear),
                new PluginRoute("GET", "/notes-crash", Access.USER, "Fails as a bug would", (request, context) -> {
                    throw new IllegalStateException("secret-detail-of-the-crash");
                }),
                new PluginRoute("GET", "/notes-services/mailboxes/{id}", Access.USER, "A mailbox through the context",
                        NotesRoutes::mailbox),
                new PluginRoute("POST", "/notes-services/notify", Access.USER, "Notifies the caller",
                        (request, context) -> {
                            context.notifier().notify(request.callerId(), null, "note_added", "A note was added.");
                            return RouteResponse.noContent();
                        }),
                new PluginRoute("POST", "/notes-services/templates/{id}", Access.USER, "Renders a template",
                        NotesRoutes::render));
    }

    private static RouteResponse add(RouteRequest request, ExtensionContext context) {
        if (!(request.body() instanceof Map<?, ?> body) || !(body.get("text") instanceof String text) || text.isBlank()) {
            throw RouteException.badRequest("text", "text is required");
        }
        try (Connection connection = context.database().getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO note (owner_id, text) VALUES (?, ?) RETURNING id")) {
            insert.setLong(1, request.callerId());
            insert.setString(2, text);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return RouteResponse.created(new Note(row.getLong(1), request.callerId(), text));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RouteResponse list(RouteRequest request, ExtensionContext context) {
        String contains = request.queryParameter("contains").orElse("");
        List<Note> notes = new ArrayList<>();
        try (Connection connection = context.database().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT id, owner_id, text FROM note WHERE owner_id = ? AND strpos(text, ?) > 0 ORDER BY id")) {
            query.setLong(1, request.callerId());
            query.setString(2, contains);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    notes.add(new Note(rows.getLong(1), rows.getLong(2), rows.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return RouteResponse.ok(Map.of("items", notes, "contains", contains));
    }

    private static RouteResponse one(RouteRequest request, ExtensionContext context) {
        long id;
        try {
            id = Long.parseLong(request.pathParameter("id"));
        } catch (NumberFormatException e) {
            throw RouteException.badRequest("id", "id must be a number");
        }
        try (Connection connection = context.database().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT id, owner_id, text FROM note WHERE id = ? AND owner_id = ?")) {
            query.setLong(1, id);
            query.setLong(2, request.callerId());
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw RouteException.notFound("no note " + id);
                }
                return RouteResponse.ok(new Note(row.getLong(1), row.getLong(2), row.getString(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RouteResponse clear(RouteRequest request, ExtensionContext context) {
        try (Connection connection = context.database().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM note");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return RouteResponse.noContent();
    }

    private static RouteResponse mailbox(RouteRequest request, ExtensionContext context) {
        MailboxInfo mailbox = context.mailboxes().find(Long.parseLong(request.pathParameter("id")))
                .orElseThrow(() -> RouteException.notFound("no such mailbox"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("mailbox", mailbox);
        answer.put("owned_by_caller", context.mailboxes().ownedBy(request.callerId()));
        return RouteResponse.ok(answer);
    }

    @SuppressWarnings("unchecked")
    private static RouteResponse render(RouteRequest request, ExtensionContext context) {
        Map<String, Object> variables = request.body() instanceof Map<?, ?> body ? (Map<String, Object>) body : Map.of();
        Templates.Rendered rendered = context.templates().render(Long.parseLong(request.pathParameter("id")), variables)
                .orElseThrow(() -> RouteException.notFound("no such template"));
        return RouteResponse.ok(rendered);
    }
}
