package io.mailroom.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.plugins.SettingsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Turns every failure into the error format of the API: typed {@link ApiException}s as they
 * are, unreadable JSON as 400 with the offending field's path ({@link JsonErrors}), unknown routes as 404, and
 * anything unexpected as 500 with a reference to the log line (never the exception's text,
 * which may hold a secret).
 */
final class ErrorHandling {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandling.class);
    private static final String ANSWERED = "mailroom.error-answered";

    private ErrorHandling() {
    }

    static void install(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> answer(ctx, e.status(), e.code(), e.getMessage(), e.details()));
        routes.exception(SettingsException.class, (e, ctx) -> answer(ctx, 400, e.problems().getFirst().code(),
                e.getMessage(), Map.of("path", e.problems().getFirst().path(), "problems", e.problems())));
        routes.exception(JsonProcessingException.class, (e, ctx) -> answer(ctx, JsonErrors.of(e)));
        routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(),
                codeFor(e.getStatus()), e.getMessage(), Map.copyOf(e.getDetails())));
        // a secret sealed under a key this host lacks: the admin can act on it (enter it again, or
        // configure the key), so it is said in words; the message names the key id, never the secret
        routes.exception(io.mailroom.host.secrets.SealedSecretException.class, (e, ctx) -> answer(ctx, 409,
                "secret_unreadable", "a stored secret cannot be opened (" + e.getMessage() + "); enter it again, "
                        + "or start the host with the key it was sealed with", Map.of()));
        routes.exception(Exception.class, (e, ctx) -> {
            Throwable cause = e.getCause();
            if (cause instanceof JsonProcessingException json) {
                answer(ctx, JsonErrors.of(json));
                return;
            }
            String reference = Long.toString(System.nanoTime(), 36);
            LOG.error("request {} {} failed (reference {})", ctx.method(), ctx.path(), reference, e);
            answer(ctx, 500, "internal_error", "the server failed; see its log, reference " + reference, Map.of());
        });
        routes.error(404, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                answer(ctx, 404, "not_found", "no such route: " + ctx.method() + " " + ctx.path(), Map.of());
            }
        });
        routes.error(405, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                answer(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path(), Map.of());
            }
        });
    }

    private static void answer(Context ctx, int status, String code, String message, Map<String, Object> details) {
        ctx.attribute(ANSWERED, true);
        ctx.status(status).json(new ErrorBody(code, message, details));
    }

    private static void answer(Context ctx, ApiException e) {
        answer(ctx, e.status(), e.code(), e.getMessage(), e.details());
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            default -> "http_" + status;
        };
    }
}
