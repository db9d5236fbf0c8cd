package io.mailroom.host.plugins;

import org.pf4j.DefaultPluginFactory;
import org.pf4j.Plugin;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/** Makes a plugin's Plugin-Class, saying why when it cannot (PF4J returns null and logs). */
final class ExplainingPluginFactory extends DefaultPluginFactory {

    @Override
    public Plugin create(PluginWrapper plugin) {
        String className = plugin.getDescriptor().getPluginClass();
        Class<?> type;
        try {
            type = plugin.getPluginClassLoader().loadClass(className);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new PluginRuntimeException(e, "Plugin-Class {} cannot be loaded", className);
        }
        if (!Plugin.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
            throw new PluginRuntimeException("Plugin-Class {} is not a concrete subclass of org.pf4j.Plugin",
                    className);
        }
        try {
            try {
                return (Plugin) type.getConstructor(PluginWrapper.class).newInstance(plugin);
            } catch (NoSuchMethodException e) {
                return (Plugin) type.getConstructor().newInstance();
            }
        } catch (InvocationTargetException e) {
            throw new PluginRuntimeException(e.getCause(), "Plugin-Class {} failed in its constructor", className);
        } catch (ReflectiveOperationException e) {
            throw new PluginRuntimeException(e, "Plugin-Class {} cannot be made", className);
        }
    }
}
