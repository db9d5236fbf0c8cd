package io.mailroom.api;

import java.util.Locale;

/**
 * Where the host keeps the tables of a plugin that ships migrations ({@code db/plugins/<id>/}):
 * the one naming the host and the testkit's {@code PluginTestDatabase} both use, so a plugin's
 * tests see the schema it gets when installed.
 */
public final class PluginSchema {

    /** The Flyway history table, in the plugin's schema (Flyway's default name). */
    public static final String HISTORY_TABLE = "flyway_schema_history";

    private PluginSchema() {
    }

    /**
     * {@code plugin_} and the id in lower case with anything but {@code a-z}, {@code 0-9} and
     * {@code _} turned into {@code _}, cut to PostgreSQL's 63 bytes: {@code acme-crm} →
     * {@code plugin_acme_crm}.
     */
    public static String nameOf(String pluginId) {
        StringBuilder name = new StringBuilder("plugin_");
        for (char c : pluginId.toLowerCase(Locale.ROOT).toCharArray()) {
            name.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return name.length() > 63 ? name.substring(0, 63) : name.toString();
    }

    /** The comment on the schema naming the plugin that owns it (two ids of one name never share tables). */
    public static String ownerMark(String pluginId) {
        return "mailroom plugin " + pluginId;
    }
}
