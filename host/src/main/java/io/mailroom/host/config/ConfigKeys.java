package io.mailroom.host.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where configuration values come from: {@code conf/mailroom.properties}, then environment
 * variables, then JVM system properties, each overriding the one before. A key
 * {@code mailroom.db.url} is read from the variable {@code MAILROOM_DB_URL} (dots and dashes become underscores). Unknown keys in the
 * file or system properties are refused later, by {@link MailroomConfig#from}.
 */
public final class ConfigKeys {

    private ConfigKeys() {
    }

    /** The environment variable for a key ({@code mailroom.loop.per-sender-limit}: {@code MAILROOM_LOOP_PER_SENDER_LIMIT}). */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Merges the three sources into one map of {@code mailroom.*} keys. */
    public static Map<String, String> merge(Properties file, Map<String, String> env, Properties system) {
        Map<String, String> values = new TreeMap<>();
        file.stringPropertyNames().forEach(key -> values.put(key, file.getProperty(key).trim()));
        // Other MAILROOM_ variables (the launcher's MAILROOM_JAVA_OPTS…) are not configuration keys.
        MailroomConfig.DEFAULTS.keySet().forEach(key -> {
            String value = env.get(envName(key));
            if (value != null) {
                values.put(key, value.trim());
            }
        });
        system.stringPropertyNames().stream().filter(key -> key.startsWith("mailroom."))
                .forEach(key -> values.put(key, system.getProperty(key).trim()));
        return values;
    }
}
