package io.mailroom.host.oauth;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.api.MailroomException;
import io.mailroom.api.oauth.OAuthProtocol;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.mailboxes.SyncJobs;
import io.mailroom.host.network.ShownError;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/oauth}: the providers and their switch, the authorization flow, and the refresh
 * check of a mailbox. The callback is the one {@code /api} route a browser reaches without a
 * bearer token (the provider redirects it there): its credential is the single-use signed state
 * together with the cookie the authorize route gave the browser that started (so a link with
 * someone else's state is worthless); when a token does come with it, the state must have been
 * issued to that token's user.
 */
public final class OAuthRoutes implements RouteGroup {

    private final OAuthProviders providers;
    private final OAuthConnect connect;
    private final OAuthTokens tokens;
    private final OAuthProtocol standard;
    private final Mailboxes mailboxes;
    private final SyncJobs jobs;
    private final java.util.function.Supplier<String> publicUrl;

    public OAuthRoutes(OAuthProviders providers, OAuthConnect connect, OAuthTokens tokens, OAuthProtocol standard,
                       Mailboxes mailboxes, SyncJobs jobs, java.util.function.Supplier<String> publicUrl) {
        this.providers = providers;
        this.connect = connect;
        this.tokens = tokens;
        this.standard = standard;
        this.mailboxes = mailboxes;
        this.jobs = jobs;
        this.publicUrl = publicUrl;
    }

    /** The callback: the provider redirects browsers to it without a token; the state is checked instead. */
    @Override
    public boolean admitsWithoutToken(String path) {
        return path.startsWith("/api/oauth/") && path.endsWith("/callback")
                && path.chars().filter(c -> c == '/').count() == 4;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/oauth/providers", ctx -> {
            Authentication.caller(ctx);
            ctx.json(providers.all().stream().map(this::view).toList());
        });
        routes.put("/api/oauth/providers/{id}", ctx -> {
            Authentication.superadmin(ctx);
            OAuthProvider provider = providers.find(ctx.pathParam("id"))
                    .orElseThrow(() -> ApiException.notFound("OAuth provider " + ctx.pathParam("id")));
            ctx.json(view(update(provider, ctx.bodyAsClass(ProviderInput.class))));
        });
        routes.get("/api/oauth/{provider}/authorize", ctx -> {
            User caller = Authentication.caller(ctx);
            String mailboxId = ctx.queryParam("mailbox_id");
            Long id = null;
            if (mailboxId != null && !mailboxId.isBlank()) {
                try {
                    id = Long.parseLong(mailboxId.strip());
                } catch (NumberFormatException e) {
                    throw ApiException.invalid("mailbox_id", "mailbox_id must be a mailbox id");
                }
            }
            String source = Optional.ofNullable(ctx.queryParam("source")).filter(s -> !s.isBlank()).orElse("imap");
            OAuthConnect.Authorization authorization = connect.authorize(caller, ctx.pathParam("provider"), id, source);
            ctx.header("Set-Cookie", OAuthStates.browserCookie(authorization.state()) + "=" + authorization.browserNonce()
                    + "; Path=/api/oauth/; Max-Age=" + OAuthStates.MINUTES * 60 + "; HttpOnly; SameSite=Lax"
                    + (publicUrl.get().startsWith("https:") ? "; Secure" : ""));
            String uri = authorization.uri().toString();
            if (wantsJson(ctx)) {
                ctx.json(Map.of("authorization_url", uri));
            } else {
                ctx.redirect(uri, io.javalin.http.HttpStatus.FOUND);
            }
        });
        routes.get("/api/oauth/{provider}/callback", ctx -> {
            User caller = ctx.header("Authorization") == null ? null : Authentication.caller(ctx);
            Map<String, String> query = new LinkedHashMap<>();
            for (String name : List.of("state", "code", "error", "error_description")) {
                query.put(name, ctx.queryParam(name));
            }
            String state = query.get("state");
            String nonce = state == null || state.indexOf('.') < 1 ? null : ctx.cookie(OAuthStates.browserCookie(state));
            OAuthConnect.Connected connected = connect.callback(caller, ctx.pathParam("provider"), query, nonce, jobs);
            if (wantsJson(ctx)) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("mailbox_id", connected.mailboxId());
                body.put("account", connected.account());
                body.put("created", connected.created());
                ctx.json(body);
            } else {
                ctx.redirect(publicUrl.get() + "/admin/mailboxes/" + connected.mailboxId() + "?connected="
                        + ctx.pathParam("provider"), io.javalin.http.HttpStatus.FOUND);
            }
        });
        routes.post("/api/mailboxes/{id}/oauth/refresh", ctx -> {
            Mailbox mailbox = mailboxes.visible(Authentication.caller(ctx), PathIds.id(ctx));
            if (mailbox.auth() == null || !mailbox.auth().startsWith("oauth:")) {
                throw ApiException.invalid("auth", "the mailbox logs in with a password, not OAuth");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            try {
                OAuthTokens.Refreshed refreshed = tokens.refreshNow(mailbox);
                body.put("ok", true);
                body.put("expires_at", refreshed.expiresAt());
                body.put("error", null);
            } catch (MailroomException e) {
                body.put("ok", false);
                body.put("expires_at", null);
                body.put("error", ShownError.of(e));
            }
            ctx.json(body);
        });
    }

    /** {@code PUT /api/oauth/providers/{id}}: the body. */
    record ProviderInput(Boolean enabled, Map<String, Object> settings) {
    }

    private OAuthProvider update(OAuthProvider provider, ProviderInput input) {
        Map<String, String> stored = providers.changedSettings(provider, input.settings());
        boolean enabled = input.enabled() != null ? input.enabled() : providers.switchedOn(provider);
        String reason = null;
        if (enabled) {
            // a required setting missing from both the configuration and the request fails here, by name
            Map<String, String> values = providers.validated(provider, mergedWith(provider, stored));
            reason = ClientCheck.problem(provider, providers.client(provider, values), standard).orElse(null);
        }
        providers.save(provider, enabled, stored, reason);
        return provider;
    }

    private Map<String, String> mergedWith(OAuthProvider provider, Map<String, String> stored) {
        Map<String, String> values = new LinkedHashMap<>(providers.merged(provider, Optional.empty()));
        values.putAll(stored);
        return values;
    }

    private Map<String, Object> view(OAuthProvider provider) {
        ProviderState state = providers.state(provider);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", provider.id());
        view.put("name", provider.name());
        view.put("enabled", state.enabled());
        view.put("reason", state.reason());
        view.put("redirect_uri", providers.redirectUri(provider.id()).toString());
        view.put("settings", providers.shownSettings(provider));
        return view;
    }

    private static boolean wantsJson(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json");
    }
}
