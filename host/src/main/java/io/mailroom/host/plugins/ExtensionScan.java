package io.mailroom.host.plugins;

import io.mailroom.api.Extension;
import io.mailroom.api.SettingDescriptor;
import org.pf4j.PluginManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds and makes the extensions of one started plugin, each class once, through PF4J's
 * service-provider finder. PF4J logs and skips a {@code META-INF/services} entry it cannot
 * load; here that makes the plugin broken, with a reason an admin can act on.
 */
final class ExtensionScan {

    private ExtensionScan() {
    }

    /** A plugin that cannot serve its extensions; the message says why, in one line. */
    static final class BrokenPlugin extends RuntimeException {
        BrokenPlugin(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The plugin's extensions by extension point, in {@link ExtensionPoints#ALL} order. */
    static Map<Class<? extends Extension>, List<Extension>> scan(PluginManager manager, String pluginId) {
        Map<Class<?>, Extension> made = new HashMap<>();
        Map<Class<? extends Extension>, List<Extension>> found = new LinkedHashMap<>();
        for (Class<? extends Extension> point : ExtensionPoints.ALL) {
            for (Class<? extends Extension> type : manager.getExtensionClasses(point, pluginId)) {
                Extension extension = made.computeIfAbsent(type, t -> make(manager, t));
                found.computeIfAbsent(point, p -> new ArrayList<>()).add(extension);
            }
        }
        Set<String> madeNames = new HashSet<>();
        made.keySet().forEach(type -> madeNames.add(type.getName()));
        ClassLoader loader = manager.getPluginClassLoader(pluginId);
        for (String className : new TreeSet<>(manager.getExtensionClassNames(pluginId))) {
            if (!madeNames.contains(className)) {
                checkSkipped(className, loader);
            }
        }
        return found;
    }

    private static Extension make(PluginManager manager, Class<?> type) {
        Extension extension;
        try {
            extension = (Extension) manager.getExtensionFactory().create(type);
        } catch (RuntimeException | LinkageError e) {
            throw new BrokenPlugin(type.getName() + " cannot be made: " + FailureReason.of(e));
        }
        try {
            String id = extension.id();
            if (id == null || !ExtensionPoints.ID.matcher(id).matches()) {
                throw new BrokenPlugin(type.getName() + " has the id '" + id + "'; ids are lower case [a-z0-9_-]+");
            }
            Set<String> names = new HashSet<>();
            for (SettingDescriptor setting : ExtensionPoints.declaredSettings(extension)) {
                if (!names.add(setting.name())) {
                    throw new BrokenPlugin(type.getName() + " declares the setting '" + setting.name() + "' twice");
                }
            }
        } catch (RuntimeException | LinkageError e) {
            throw e instanceof BrokenPlugin broken ? broken
                    : new BrokenPlugin(type.getName() + " fails to describe itself: " + FailureReason.of(e));
        }
        return extension;
    }

    /**
     * A service entry PF4J did not turn into an extension: a missing class, or one built against
     * its own copy of the API, breaks the plugin; an implementation of some other service (a
     * library's JDBC driver, say) is none of our business.
     */
    private static void checkSkipped(String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new BrokenPlugin("META-INF/services names " + className + ", which is not in the plugin");
        } catch (LinkageError e) {
            throw new BrokenPlugin(className + " cannot be loaded: " + FailureReason.of(e));
        }
        for (Class<? extends Extension> point : ExtensionPoints.ALL) {
            if (!point.isAssignableFrom(type) && implementsByName(type, point.getName())) {
                throw new BrokenPlugin(className + " implements its own copy of " + point.getName()
                        + ": the plugin must not pack mailroom-api (make it a provided dependency)");
            }
        }
    }

    private static boolean implementsByName(Class<?> type, String interfaceName) {
        if (type == null) {
            return false;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (implemented.getName().equals(interfaceName) || implementsByName(implemented, interfaceName)) {
                return true;
            }
        }
        return implementsByName(type.getSuperclass(), interfaceName);
    }
}
