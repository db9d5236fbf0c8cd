package io.mailroom.host.plugins;

import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Finds the plugins caught in a cycle of required dependencies, which PF4J only reports as a whole. */
final class DependencyCycles {

    private DependencyCycles() {
    }

    /** The plugins that require themselves through their required dependencies. */
    static Set<String> members(List<PluginDescriptor> descriptors) {
        Map<String, List<String>> requires = new HashMap<>();
        for (PluginDescriptor descriptor : descriptors) {
            requires.put(descriptor.getPluginId(), descriptor.getDependencies().stream()
                    .filter(dependency -> !dependency.isOptional()).map(PluginDependency::getPluginId).toList());
        }
        Set<String> cyclic = new TreeSet<>();
        for (String id : requires.keySet()) {
            if (reaches(requires, id, id, new HashSet<>())) {
                cyclic.add(id);
            }
        }
        return cyclic;
    }

    private static boolean reaches(Map<String, List<String>> requires, String from, String target, Set<String> seen) {
        for (String next : requires.getOrDefault(from, List.of())) {
            if (next.equals(target) || seen.add(next) && reaches(requires, next, target, seen)) {
                return true;
            }
        }
        return false;
    }
}
