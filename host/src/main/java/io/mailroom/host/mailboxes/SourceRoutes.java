package io.mailroom.host.mailboxes;

import io.javalin.config.RoutesConfig;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.plugins.PluginHost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/sources} and {@code GET /api/sinks}: the mail sources and the sinks the started
 * plugins serve, with the per-mailbox settings each declares, so forms and scripts can be built
 * from them (names, types, defaults, bounds, help, which are secret and write-only).
 */
public final class SourceRoutes implements RouteGroup {

    private final PluginHost plugins;

    public SourceRoutes(PluginHost plugins) {
        this.plugins = plugins;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/sources", ctx -> {
            Authentication.caller(ctx);
            ctx.json(sources());
        });
        routes.get("/api/sinks", ctx -> {
            Authentication.caller(ctx);
            ctx.json(sinks());
        });
    }

    List<Map<String, Object>> sinks() {
        List<Map<String, Object>> sinks = new ArrayList<>();
        for (TicketSink sink : plugins.extensions(TicketSink.class)) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", sink.id());
            view.put("name", sink.name());
            view.put("plugin_id", plugins.pluginOf(TicketSink.class, sink.id()).orElse(null));
            view.put("settings", sink.mailboxSettings().stream().map(SourceRoutes::setting).toList());
            sinks.add(view);
        }
        sinks.sort(Comparator.comparing(view -> (String) view.get("id")));
        return sinks;
    }

    List<Map<String, Object>> sources() {
        List<Map<String, Object>> sources = new ArrayList<>();
        for (MailSource source : plugins.extensions(MailSource.class)) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", source.id());
            view.put("name", source.name());
            view.put("plugin_id", plugins.pluginOf(MailSource.class, source.id()).orElse(null));
            view.put("settings", source.mailboxSettings().stream().map(SourceRoutes::setting).toList());
            sources.add(view);
        }
        sources.sort(Comparator.comparing(view -> (String) view.get("id")));
        return sources;
    }

    private static Map<String, Object> setting(SettingDescriptor setting) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", setting.name());
        view.put("type", setting.type().name().toLowerCase(Locale.ROOT));
        view.put("required", setting.required());
        view.put("default", setting.secret() ? null : setting.defaultValue());
        view.put("secret", setting.secret());
        view.put("help", setting.help());
        view.put("allowed_values", setting.choices().isEmpty() ? null : setting.choices());
        view.put("min", setting.min() == Long.MIN_VALUE ? null : setting.min());
        view.put("max", setting.max() == Long.MAX_VALUE ? null : setting.max());
        return view;
    }
}
