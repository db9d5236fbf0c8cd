package io.mailroom.host.plugins;

import org.pf4j.DefaultExtensionFinder;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DefaultPluginStatusProvider;
import org.pf4j.DependencyResolver;
import org.pf4j.ExtensionFinder;
import org.pf4j.InvalidPluginDescriptorException;
import org.pf4j.Plugin;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginFactory;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginStateEvent;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PF4J set up for Mailroom: jars and zips from one directory, {@code enabled.txt} and
 * {@code disabled.txt} there plus the ids disabled by configuration, and extensions found from
 * each plugin's {@code META-INF/services}. Where PF4J only logs a broken plugin, or lets it stop
 * the others, this manager records why and goes on: a file it cannot load, a plugin whose
 * class cannot be made or whose {@code start()} throws, a plugin whose dependencies are missing.
 */
final class MailroomPluginManager extends DefaultPluginManager {

    private static final Logger log = LoggerFactory.getLogger(MailroomPluginManager.class);

    private final Set<String> disabledByConfig;
    private final PluginDatabases databases;
    private final Map<String, String> unloadable = new TreeMap<>();
    private final List<PluginWrapper> loaded = new ArrayList<>();
    private final Map<String, String> unresolved = new TreeMap<>();

    MailroomPluginManager(Path pluginsDir, Set<String> disabledByConfig, PluginDatabases databases) {
        super(pluginsDir);
        this.disabledByConfig = Set.copyOf(disabledByConfig);
        this.databases = databases;
    }

    /** Files that could not be loaded as plugins: file name to reason. */
    Map<String, String> unloadable() {
        return unloadable;
    }

    /** Every plugin loaded, in load order, including those unloaded again as unresolved. */
    List<PluginWrapper> loaded() {
        return loaded;
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        // a pf4j.mode system property must not switch the host to ../plugins and classes folders
        return RuntimeMode.DEPLOYMENT;
    }

    @Override
    protected ExtensionFinder createExtensionFinder() {
        DefaultExtensionFinder finder = new DefaultExtensionFinder(this).addServiceProviderExtensionFinder();
        addPluginStateListener(finder);
        return finder;
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        // enabled.txt and disabled.txt always live in the plugins directory
        return new DefaultPluginStatusProvider(getPluginsRoot());
    }

    @Override
    protected PluginFactory createPluginFactory() {
        return new ExplainingPluginFactory();
    }

    @Override
    protected boolean isPluginDisabled(String pluginId) {
        return disabledByConfig.contains(pluginId) || super.isPluginDisabled(pluginId);
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        try {
            PluginWrapper plugin = super.loadPluginFromPath(pluginPath);
            if (plugin == null) {
                unloadable.put(pluginPath.getFileName().toString(), "cannot expand the plugin zip");
            } else {
                loaded.add(plugin);
            }
            return plugin;
        } catch (RuntimeException | LinkageError e) {
            String reason = loadFailure(e);
            log.error("Cannot load plugin {}: {}", pluginPath, reason, e);
            unloadable.put(pluginPath.getFileName().toString(), reason);
            return null;
        }
    }

    private static String loadFailure(Throwable e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof InvalidPluginDescriptorException) {
            return "invalid plugin descriptor: " + (message.contains("'id'") ? "no Plugin-Id"
                    : message.contains("'version'") ? "no Plugin-Version" : message);
        }
        if (message.startsWith("No PluginDescriptorFinder")) {
            return "no plugin descriptor: not a jar whose manifest has Plugin-Id and Plugin-Version";
        }
        if (message.startsWith("There is an already loaded plugin")) {
            return "another plugin file has the same Plugin-Id";
        }
        return FailureReason.of(e);
    }

    /**
     * Starts the resolved plugins in dependency order, each on its own: one whose class cannot be
     * made, whose migrations or {@code start()} fail, or whose required dependency did not start
     * is marked failed and the others go on. PF4J's own loop starts a plugin even when a
     * dependency failed.
     */
    @Override
    public void startPlugins() {
        for (PluginWrapper plugin : new ArrayList<>(resolvedPlugins)) {
            PluginState state = plugin.getPluginState();
            if (!state.isDisabled() && !state.isStarted()) {
                startOne(plugin);
            }
        }
    }

    /**
     * Starts one resolved plugin that is not disabled: its required dependencies must be started;
     * its migrations run ({@link PluginDatabases}) before its {@code start()}, so nothing of it runs
     * on a schema that is not up to date. Returns whether it started; if not, it is failed with
     * the reason.
     */
    boolean startOne(PluginWrapper plugin) {
        PluginState state = plugin.getPluginState();
        String blocker = requiredDependencyNotStarted(plugin);
        if (blocker != null) {
            markFailed(plugin, new PluginRuntimeException(blocker));
            return false;
        }
        Plugin instance;
        try {
            instance = plugin.getPlugin();
        } catch (RuntimeException | LinkageError e) {
            markFailed(plugin, e);
            return false;
        }
        try {
            databases.prepare(plugin.getPluginId(), plugin.getPluginClassLoader());
        } catch (RuntimeException | LinkageError e) {
            markFailed(plugin, e instanceof PluginRuntimeException ? e : new PluginRuntimeException(e, "its database cannot be prepared"));
            return false;
        }
        try {
            log.info("Start plugin {}@{}", plugin.getPluginId(), plugin.getDescriptor().getVersion());
            instance.start();
            plugin.setPluginState(PluginState.STARTED);
            plugin.setFailedException(null);
            startedPlugins.add(plugin);
            firePluginStateEvent(new PluginStateEvent(this, plugin, state));
            return true;
        } catch (Exception | LinkageError e) {
            markFailed(plugin, new PluginRuntimeException(e, "start() failed"));
            return false;
        }
    }

    /**
     * Disables a plugin and remembers it in the plugins directory: stops it, and the plugins that
     * require it, first. A {@code stop()} that throws is logged; the plugin is disabled anyway.
     */
    void disable(String pluginId) {
        try {
            disablePlugin(pluginId);
        } catch (RuntimeException | LinkageError e) {
            log.warn("Plugin {} failed to stop: {}", pluginId, FailureReason.of(e), e);
            PluginWrapper plugin = getPlugin(pluginId);
            startedPlugins.remove(plugin);
            plugin.setPluginState(PluginState.DISABLED);
            pluginStatusProvider.disablePlugin(pluginId);
        }
    }

    private String requiredDependencyNotStarted(PluginWrapper plugin) {
        for (PluginDependency dependency : plugin.getDescriptor().getDependencies()) {
            PluginWrapper required = getPlugin(dependency.getPluginId());
            if (!dependency.isOptional() && (required == null || !required.getPluginState().isStarted())) {
                return "requires plugin '" + dependency.getPluginId() + "', which is "
                        + (required == null ? "not installed" : state(required));
            }
        }
        return null;
    }

    /** Stops a started plugin, and the plugins that depend on it, and marks them failed. */
    void fail(String pluginId, String reason) {
        List<PluginWrapper> startedBefore = new ArrayList<>(startedPlugins);
        try {
            stopPlugin(pluginId);
        } catch (RuntimeException e) {
            log.warn("Plugin {} failed to stop", pluginId, e);
        }
        markFailed(getPlugin(pluginId), new PluginRuntimeException(reason));
        for (PluginWrapper other : startedBefore) {
            if (other.getPluginState().isStopped()) {
                markFailed(other, new PluginRuntimeException("requires plugin '{}', which failed", pluginId));
            }
        }
    }

    private void markFailed(PluginWrapper plugin, Throwable failure) {
        PluginState before = plugin.getPluginState();
        plugin.setPluginState(PluginState.FAILED);
        plugin.setFailedException(failure);
        startedPlugins.remove(plugin);
        if (failure instanceof PluginRuntimeException && failure.getCause() == null) {
            log.error("Plugin {} failed: {}", plugin.getPluginId(), failure.getMessage());
        } else {
            log.error("Plugin {} failed: {}", plugin.getPluginId(), FailureReason.of(failure), failure);
        }
        firePluginStateEvent(new PluginStateEvent(this, plugin, before));
    }

    /** Why a loaded plugin was dropped before it could start: its dependencies are not met. */
    String unresolvedReason(String pluginId) {
        return unresolved.getOrDefault(pluginId, "its dependencies cannot be resolved");
    }

    /**
     * Resolves dependencies, dropping only the plugins whose own requirements are unmet. PF4J's
     * recovery unloads the dependency when a dependent asks for another version of it, and
     * gives up on every plugin when two require each other.
     */
    @Override
    protected DependencyResolver.Result resolveDependencies() {
        while (true) {
            List<PluginDescriptor> descriptors = plugins.values().stream().map(PluginWrapper::getDescriptor).toList();
            DependencyResolver.Result result = dependencyResolver.resolve(descriptors);
            if (result.isOK()) {
                return result;
            }
            Map<String, String> broken = new TreeMap<>();
            if (result.hasCyclicDependency()) {
                DependencyCycles.members(descriptors).forEach(id -> broken.put(id, "it requires itself through a cycle of plugins"));
            }
            for (String missing : result.getNotFoundDependencies()) {
                for (String dependent : dependencyResolver.getDependents(missing)) {
                    broken.putIfAbsent(dependent, "requires plugin '" + missing + "', which is "
                            + (unresolved.containsKey(missing) ? "failed" : "not installed"));
                }
            }
            for (DependencyResolver.WrongDependencyVersion wrong : result.getWrongVersionDependencies()) {
                broken.putIfAbsent(wrong.getDependentId(), "requires plugin '%s' version %s, found %s".formatted(
                        wrong.getDependencyId(), wrong.getRequiredVersion(), wrong.getExistingVersion()));
            }
            if (broken.isEmpty()) {
                if (result.hasCyclicDependency()) {
                    throw new DependencyResolver.CyclicDependencyException();
                }
                return result;
            }
            broken.forEach((id, reason) -> {
                unresolved.put(id, reason);
                unloadPlugin(id, false, false);
            });
        }
    }

    static String state(PluginWrapper plugin) {
        return plugin.getPluginState().name().toLowerCase(Locale.ROOT);
    }
}
