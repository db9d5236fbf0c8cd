package io.mailroom.host.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.host.errors.ApiException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The admin workspace at {@code /admin} and Swagger UI at {@code /api/docs}: static files from the
 * host jar (plain HTML, CSS and JavaScript modules under {@code admin/}) and the swagger-ui WebJar,
 * so nothing is fetched from a CDN. The pages hold no secret and carry no token: they call the
 * public API with the token the person signs in with, which stays in the browser session.
 *
 * <p>Every answer carries a Content-Security-Policy without inline script: a message's HTML (already
 * sanitized by the API) is shown in a sandboxed frame that inherits this policy, so its remote
 * images cannot load and no script in it runs. Style attributes are allowed (only attributes, not
 * style elements) because mail layouts are made of them.
 */
public final class AdminPages implements RouteGroup {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "frame-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'");

    private static final String PAGES = "/admin/";
    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private final String swaggerUiVersion = webJarVersion("swagger-ui");

    @Override
    public void addTo(RoutesConfig routes) {
        // Javalin ignores a trailing slash: this is /admin/ too, the address the pages are linked at
        routes.get("/admin", ctx -> serve(ctx, PAGES + "index.html"));
        routes.get("/admin/vendor/swagger-ui/{file}", ctx ->
                serve(ctx, "/" + SWAGGER_UI + swaggerUiVersion + "/" + fileName(ctx.pathParam("file"))));
        // where the OAuth callback sends the browser back (OAuthRoutes): the page opens that mailbox
        routes.get("/admin/mailboxes/{id}", ctx -> serve(ctx, PAGES + "index.html"));
        routes.get("/admin/{file}", ctx -> serve(ctx, PAGES + fileName(ctx.pathParam("file"))));
        routes.get("/admin/js/{file}", ctx -> serve(ctx, PAGES + "js/" + fileName(ctx.pathParam("file"))));
        routes.get("/api/docs", ctx -> serve(ctx, PAGES + "docs.html"));
    }

    /** Swagger UI is a page like the others: it reads the public {@code /openapi.json} and asks for a token to try a route. */
    @Override
    public boolean admitsWithoutToken(String path) {
        return "/api/docs".equals(path);
    }

    private static void serve(Context ctx, String resource) {
        String extension = resource.substring(resource.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        InputStream in = type == null ? null : AdminPages.class.getResourceAsStream(resource);
        if (in == null) {
            throw ApiException.notFound(ctx.path());
        }
        try (in) {
            securityHeaders(ctx);
            ctx.contentType(type).result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        // the pages change with the host jar; a cached old page would call an API that moved on
        ctx.header("Cache-Control", "no-cache");
    }

    /** One plain file name: no way out of the folder. */
    private static String fileName(String name) {
        if (name.isEmpty() || name.startsWith(".") || !name.chars().allMatch(AdminPages::plain)) {
            throw ApiException.notFound(name);
        }
        return name;
    }

    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.';
    }

    private static String webJarVersion(String name) {
        String resource = "/META-INF/maven/org.webjars/" + name + "/pom.properties";
        try (InputStream in = AdminPages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the " + name + " WebJar is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
