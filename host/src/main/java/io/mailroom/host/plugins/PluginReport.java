package io.mailroom.host.plugins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host knows about one plugin, as {@code GET /api/plugins} shows it.
 *
 * @param id         the plugin id; the file name when the file could not be read as a plugin
 * @param version    the plugin's version, or {@code null} when its descriptor could not be read
 * @param state      lower case: {@code started}, {@code disabled}, {@code failed}, {@code stopped},
 *                   {@code resolved}, {@code unloaded}…
 * @param extensions extension point simple name to the ids this plugin serves,
 *                   e.g. {@code {"MailSource": ["imap"]}}
 * @param error      one readable line on what went wrong, or {@code null}
 */
public record PluginReport(String id, String version, String state, Map<String, List<String>> extensions,
                           String error) {

    public PluginReport {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        extensions.forEach((point, ids) -> copy.put(point, List.copyOf(ids)));
        extensions = Collections.unmodifiableMap(copy);
    }

    public boolean started() {
        return "started".equals(state);
    }
}
