package io.mailroom.host.config;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * OAuth providers' installation settings from the configuration:
 * {@code mailroom.oauth.<provider>.<setting>}, e.g. {@code mailroom.oauth.google.client_id} or the
 * variable {@code MAILROOM_OAUTH_GOOGLE_CLIENT_ID}. Which keys exist depends on the providers the
 * plugins bring, so they are checked after the plugins start ({@link #requireKnown}), not with the
 * other keys. The layers override as everywhere: the file, then the environment, then system
 * properties.
 */
public record OAuthConfig(Map<String, String> file, Map<String, String> env, Map<String, String> system) {

    public static final String PREFIX = "mailroom.oauth.";
    private static final String ENV_PREFIX = ConfigKeys.envName(PREFIX);

    public OAuthConfig {
        file = Map.copyOf(file);
        env = Map.copyOf(env);
        system = Map.copyOf(system);
    }

    /** The {@code mailroom.oauth.*} keys of the three sources. */
    static OAuthConfig of(Properties file, Map<String, String> env, Properties system) {
        return new OAuthConfig(keys(file), filter(env), keys(system));
    }

    /** Keys given directly (as tests and {@link MailroomConfig#from} do): they count as system properties. */
    static OAuthConfig of(Map<String, String> given) {
        Map<String, String> keys = new TreeMap<>();
        given.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                keys.put(key, value.trim());
            }
        });
        return new OAuthConfig(Map.of(), Map.of(), keys);
    }

    /** The configured value of one setting of one provider. */
    public Optional<String> value(String provider, String setting) {
        String key = PREFIX + provider + "." + setting;
        String value = system.get(key);
        if (value == null) {
            value = env.get(ConfigKeys.envName(key));
        }
        if (value == null) {
            value = file.get(key);
        }
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    /**
     * Fails on the first key or variable that names no setting of a loaded provider, so a typo
     * does not pass silently.
     *
     * @param declared the setting names by provider id
     */
    public void requireKnown(Map<String, Set<String>> declared) {
        Set<String> keys = new java.util.HashSet<>();
        Set<String> envNames = new java.util.HashSet<>();
        declared.forEach((provider, settings) -> settings.forEach(setting -> {
            keys.add(PREFIX + provider + "." + setting);
            envNames.add(ConfigKeys.envName(PREFIX + provider + "." + setting));
        }));
        for (Map<String, String> layer : java.util.List.of(file, system)) {
            for (String key : new TreeMap<>(layer).keySet()) {
                if (!keys.contains(key)) {
                    throw new ConfigException(key, "no loaded OAuth provider declares this setting; known: "
                            + new TreeMap<>(declared));
                }
            }
        }
        for (String name : new TreeMap<>(env).keySet()) {
            if (!envNames.contains(name)) {
                throw new ConfigException(name, "no loaded OAuth provider declares this setting; known: "
                        + new TreeMap<>(declared));
            }
        }
    }

    private static Map<String, String> keys(Properties properties) {
        Map<String, String> keys = new TreeMap<>();
        properties.stringPropertyNames().stream().filter(key -> key.startsWith(PREFIX))
                .forEach(key -> keys.put(key, properties.getProperty(key).trim()));
        return keys;
    }

    private static Map<String, String> filter(Map<String, String> env) {
        Map<String, String> vars = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                vars.put(name, value.trim());
            }
        });
        return vars;
    }
}
