package io.mailroom.host.plugins;

import io.mailroom.api.Extension;
import io.mailroom.api.route.PluginRoute;
import io.mailroom.api.route.PluginRoutes;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The plugins of one deployment: loads the jars and zips of the plugins directory with PF4J,
 * each in its own class loader, starts those that are enabled, and serves their extensions by
 * extension point and id.
 *
 * <p>A plugin is disabled when {@code disabled.txt} in the plugins directory lists it, when an
 * {@code enabled.txt} there does not, or when the configuration ({@code mailroom.plugins.disabled})
 * names it. A broken plugin never stops the others: a file that is no plugin, a missing class,
 * a {@code start()} that throws, a missing dependency each leave that plugin {@code failed} with
 * a one-line reason in {@link #plugins()} and in the log, and the rest start.
 *
 * <p>Extensions are made once per plugin start. When two plugins offer the same extension id on
 * the same point, the plugin whose id sorts first keeps it; the other keeps running, without
 * that extension, and its report names the conflict.
 *
 * <p>A plugin that ships migrations under {@code db/plugins/<id>/} has them run before it starts
 * ({@link PluginDatabases}); a failure leaves it {@code failed} with the reason. The routes of its
 * {@link PluginRoutes} are mounted in the {@link PluginRouteTable} when it starts; a route that
 * collides with a host route or another plugin's fails it.
 *
 * <p>Lifecycle: {@link #start()} once, then any number of look-ups from any thread, and
 * {@link #enable}/{@link #disable} at run time, then {@link #close()}, which stops the plugins one
 * by one and unloads them.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

    private final Path pluginsDir;
    private final Set<String> disabledByConfig;
    private final PluginDatabases databases;
    private final PluginRouteTable routes;
    /** Why a plugin could not be resolved. */
    private final Map<String, String> errors = new TreeMap<>();
    /** Extension ids a plugin serves that another plugin serves first; recomputed on every change. */
    private Map<String, String> conflicts = Map.of();
    private final Set<String> unresolved = new TreeSet<>();
    /** The extensions of each started plugin, made when it started; sorted by plugin id. */
    private final Map<String, Map<Class<? extends Extension>, List<Extension>>> scanned = new TreeMap<>();
    private MailroomPluginManager manager;
    private boolean closed;
    private volatile Map<Class<?>, Map<String, Registered>> registry = Map.of();

    /** An extension with the plugin that serves it. */
    private record Registered(String pluginId, Extension extension) {
    }

    /**
     * @param pluginsDir       where the plugin jars and zips are, with {@code enabled.txt} and
     *                         {@code disabled.txt}; PF4J expands zips there
     * @param disabledPlugins  plugin ids the configuration disables
     */
    public PluginHost(Path pluginsDir, Set<String> disabledPlugins) {
        this(pluginsDir, disabledPlugins, PluginDatabases.NONE, PluginRouteTable.none());
    }

    /**
     * @param databases where plugins that own tables get their schema migrated and their pool
     * @param routes    where started plugins' routes are mounted, knowing the host's own routes
     */
    public PluginHost(Path pluginsDir, Set<String> disabledPlugins, PluginDatabases databases, PluginRouteTable routes) {
        this.pluginsDir = Objects.requireNonNull(pluginsDir, "pluginsDir");
        this.disabledByConfig = Set.copyOf(disabledPlugins);
        this.databases = Objects.requireNonNull(databases, "databases");
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    /** Loads and starts the plugins, and registers their extensions. */
    public synchronized void start() {
        if (manager != null) {
            throw new IllegalStateException("the plugin host has already started");
        }
        manager = new MailroomPluginManager(pluginsDir, disabledByConfig, databases);
        String resolveFailure = null;
        try {
            manager.loadPlugins();
        } catch (RuntimeException e) {
            resolveFailure = "cannot resolve plugins: " + FailureReason.of(e);
            log.error("Cannot resolve the plugins in {}: {}", pluginsDir, FailureReason.of(e), e);
        }
        for (PluginWrapper plugin : manager.loaded()) {
            String id = plugin.getPluginId();
            if (!manager.getResolvedPlugins().contains(plugin)) {
                unresolved.add(id);
                errors.put(id, resolveFailure != null ? resolveFailure : manager.unresolvedReason(id));
                log.error("Plugin {} failed: {}", id, errors.get(id));
            }
        }
        manager.startPlugins();
        // by id, so which of two colliding plugins keeps its routes does not depend on file order
        for (String pluginId : new TreeSet<>(manager.getStartedPlugins().stream().map(PluginWrapper::getPluginId).toList())) {
            if (manager.getPlugin(pluginId).getPluginState().isStarted()) {
                scanAndMount(pluginId);
            }
        }
        publish();
        log.info("Plugins in {}: {}", pluginsDir, plugins().stream()
                .map(report -> report.id() + " " + report.state()).collect(Collectors.joining(", ")));
    }

    /**
     * Starts a disabled (or stopped, or failed) plugin at run time: its migrations run, it starts,
     * its extensions and routes are served, and it stays enabled across restarts
     * ({@code enabled.txt}/{@code disabled.txt}). A failure leaves it {@code failed} with the
     * reason in its report, as at start-up.
     *
     * @throws IllegalArgumentException when no plugin with this id is loaded
     * @throws IllegalStateException    when it cannot be enabled here: the configuration disables
     *                                  it, or its dependencies could not be resolved (it was unloaded)
     */
    public synchronized PluginReport enable(String pluginId) {
        requireResolved(pluginId);
        PluginWrapper plugin = loadedPlugin(pluginId);
        if (disabledByConfig.contains(pluginId)) {
            throw new IllegalStateException("plugin '" + pluginId
                    + "' is disabled by the configuration (mailroom.plugins.disabled); change it there and restart");
        }
        if (!plugin.getPluginState().isStarted()) {
            manager.enablePlugin(pluginId);
            if (manager.startOne(plugin)) {
                scanAndMount(pluginId);
            }
            publish();
            log.info("Plugin {} enabled: {}", pluginId, MailroomPluginManager.state(plugin));
        }
        return report(pluginId);
    }

    /**
     * Stops a plugin at run time (and the plugins that require it), and keeps it disabled across
     * restarts: its extensions are no longer served and its routes answer 404.
     *
     * @throws IllegalArgumentException when no plugin with this id is loaded
     * @throws IllegalStateException    when its dependencies could not be resolved (it was unloaded)
     */
    public synchronized PluginReport disable(String pluginId) {
        requireResolved(pluginId);
        loadedPlugin(pluginId);
        manager.disable(pluginId);
        publish();
        log.info("Plugin {} disabled", pluginId);
        return report(pluginId);
    }

    /** A plugin whose dependencies could not be resolved was unloaded: nothing of it can change until a restart. */
    private void requireResolved(String pluginId) {
        if (unresolved.contains(pluginId) && !closed) {
            throw new IllegalStateException("plugin '" + pluginId + "' cannot start: " + errors.get(pluginId));
        }
    }

    private PluginWrapper loadedPlugin(String pluginId) {
        PluginWrapper plugin = manager == null || closed ? null : manager.getPlugin(pluginId);
        if (plugin == null) {
            throw new IllegalArgumentException("no plugin '" + pluginId + "' is loaded");
        }
        return plugin;
    }

    private PluginReport report(String pluginId) {
        return plugins().stream().filter(report -> report.id().equals(pluginId)).findFirst().orElseThrow();
    }

    /** Makes a started plugin's extensions and mounts its routes; a failure fails the plugin. */
    private void scanAndMount(String pluginId) {
        try {
            Map<Class<? extends Extension>, List<Extension>> extensions = ExtensionScan.scan(manager, pluginId);
            List<PluginRoute> declared = new ArrayList<>();
            for (Extension extension : extensions.getOrDefault(PluginRoutes.class, List.of())) {
                declared.addAll(((PluginRoutes) extension).routes());
            }
            routes.mount(pluginId, declared);
            scanned.put(pluginId, extensions);
        } catch (ExtensionScan.BrokenPlugin | IllegalArgumentException e) {
            manager.fail(pluginId, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            manager.fail(pluginId, "its routes cannot be read: " + FailureReason.of(e));
        }
    }

    /**
     * Serves the extensions and routes of the plugins that are started now, and drops those of
     * the others (a failure above also stops the plugins that depend on the failed one).
     */
    private void publish() {
        scanned.keySet().removeIf(id -> !manager.getPlugin(id).getPluginState().isStarted());
        for (PluginWrapper plugin : manager.getPlugins()) {
            if (!scanned.containsKey(plugin.getPluginId())) {
                routes.unmount(plugin.getPluginId());
            }
        }
        Map<String, String> conflictsNow = new TreeMap<>();
        Map<Class<?>, Map<String, Registered>> byPoint = new HashMap<>();
        scanned.forEach((pluginId, extensions) -> {
            List<String> clashes = new ArrayList<>();
            extensions.forEach((point, list) -> {
                Map<String, Registered> ids = byPoint.computeIfAbsent(point, p -> new LinkedHashMap<>());
                for (Extension extension : list) {
                    Registered first = ids.putIfAbsent(extension.id(), new Registered(pluginId, extension));
                    if (first != null) {
                        clashes.add(point.getSimpleName() + " '" + extension.id()
                                + "' is already provided by plugin '" + first.pluginId() + "' and is ignored here");
                    }
                }
            });
            if (!clashes.isEmpty()) {
                conflictsNow.put(pluginId, String.join("; ", clashes));
                log.warn("Plugin {}: {}", pluginId, String.join("; ", clashes));
            }
        });
        byPoint.replaceAll((point, ids) -> Collections.unmodifiableMap(ids));
        conflicts = conflictsNow;
        registry = Map.copyOf(byPoint);
    }

    /** Every plugin file found, with its state, its extensions and what went wrong; sorted by id. */
    public synchronized List<PluginReport> plugins() {
        if (manager == null) {
            return List.of();
        }
        List<PluginReport> reports = new ArrayList<>();
        for (PluginWrapper plugin : manager.loaded()) {
            String id = plugin.getPluginId();
            String state = unresolved.contains(id) && !closed ? "failed" : MailroomPluginManager.state(plugin);
            String error = plugin.getFailedException() != null
                    ? FailureReason.of(plugin.getFailedException()) : errors.getOrDefault(id, conflicts.get(id));
            reports.add(new PluginReport(id, plugin.getDescriptor().getVersion(), state, served(id), error));
        }
        manager.unloadable().forEach((fileName, reason) ->
                reports.add(new PluginReport(fileName, null, "failed", Map.of(), reason)));
        reports.sort(Comparator.comparing(PluginReport::id));
        return List.copyOf(reports);
    }

    private Map<String, List<String>> served(String pluginId) {
        Map<String, List<String>> served = new LinkedHashMap<>();
        for (Class<? extends Extension> point : ExtensionPoints.ALL) {
            List<String> ids = registry.getOrDefault(point, Map.of()).entrySet().stream()
                    .filter(entry -> entry.getValue().pluginId().equals(pluginId))
                    .map(Map.Entry::getKey)
                    .toList();
            if (!ids.isEmpty()) {
                served.put(point.getSimpleName(), ids);
            }
        }
        return served;
    }

    /** The routes of the started plugins, as the HTTP server dispatches them. */
    public PluginRouteTable routes() {
        return routes;
    }

    /** The extensions of a point, from every started plugin. */
    public <T extends Extension> List<T> extensions(Class<T> point) {
        ExtensionPoints.check(point);
        return registry.getOrDefault(point, Map.of()).values().stream()
                .map(registered -> point.cast(registered.extension()))
                .toList();
    }

    /** The extension of a point with this id, if a started plugin serves it. */
    public <T extends Extension> Optional<T> extension(Class<T> point, String id) {
        ExtensionPoints.check(point);
        return Optional.ofNullable(registry.getOrDefault(point, Map.of()).get(id))
                .map(registered -> point.cast(registered.extension()));
    }

    /** The id of the plugin that serves an extension. */
    public <T extends Extension> Optional<String> pluginOf(Class<T> point, String id) {
        ExtensionPoints.check(point);
        return Optional.ofNullable(registry.getOrDefault(point, Map.of()).get(id)).map(Registered::pluginId);
    }

    /**
     * The class loader of a loaded plugin (started, disabled or failed), e.g. to read its
     * {@code db/plugins/<id>/} migrations.
     *
     * @throws IllegalArgumentException when no plugin with this id is loaded
     */
    public synchronized ClassLoader classLoader(String pluginId) {
        ClassLoader loader = manager == null ? null : manager.getPluginClassLoader(pluginId);
        if (loader == null) {
            throw new IllegalArgumentException("no plugin '" + pluginId + "' is loaded");
        }
        return loader;
    }

    /**
     * Stops the started plugins one by one, dependents first, and unloads every plugin. Not
     * PF4J's {@code stopPlugins()}: it removes from the list it iterates (pf4j#656).
     */
    @Override
    public synchronized void close() {
        if (manager == null || closed) {
            closed = true;
            return;
        }
        closed = true;
        registry = Map.of();
        scanned.clear();
        manager.getPlugins().forEach(plugin -> routes.unmount(plugin.getPluginId()));
        List<PluginWrapper> started = new ArrayList<>(manager.getStartedPlugins());
        Collections.reverse(started);
        for (PluginWrapper plugin : started) {
            if (plugin.getPluginState().isStarted()) {
                try {
                    manager.stopPlugin(plugin.getPluginId());
                } catch (RuntimeException | LinkageError e) {
                    log.warn("Plugin {} failed to stop: {}", plugin.getPluginId(), FailureReason.of(e), e);
                }
            }
        }
        for (PluginWrapper plugin : manager.getPlugins()) {
            try {
                manager.unloadPlugin(plugin.getPluginId());
            } catch (RuntimeException e) {
                log.warn("Plugin {} failed to unload: {}", plugin.getPluginId(), FailureReason.of(e), e);
            }
        }
    }
}
