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
     * Fails on the first key or variable that names a setting a loaded provider does not declare,
     * so a typo does not pass silently. A key of a provider that is not loaded (its plugin is
     * disabled, failed or removed) is only returned, for a warning: disabling a plugin must not stop
     * start-up.
     *
     * @param declared the setting names by provider id
     * @return the keys and variables of providers that are not loaded
     */
    public java.util.List<String> requireKnown(Map<String, Set<String>> declared) {
        java.util.List<String> unloaded = new java.util.ArrayList<>();
        for (Map<String, String> layer : java.util.List.of(file, system)) {
            for (String key : new TreeMap<>(layer).keySet()) {
                check(key, declared, (provider, setting) -> PREFIX + provider + "." + setting, unloaded);
            }
        }
        for (String name : new TreeMap<>(env).keySet()) {
            check(name, declared, (provider, setting) -> ConfigKeys.envName(PREFIX + provider + "." + setting), unloaded);
        }
        return unloaded;
    }

    private static void check(String name, Map<String, Set<String>> declared,
                              java.util.function.BinaryOperator<String> naming, java.util.List<String> unloaded) {
        // longest id first: in a variable's name MOCK_X_ID could also read as provider MOCK, setting X_ID
        for (Map.Entry<String, Set<String>> provider : declared.entrySet().stream()
                .sorted(java.util.Comparator.comparing(e -> -e.getKey().length())).toList()) {
            String prefix = naming.apply(provider.getKey(), "");
            if (name.startsWith(prefix)) {
                if (provider.getValue().stream().noneMatch(setting -> naming.apply(provider.getKey(), setting).equals(name))) {
                    throw new ConfigException(name, "the OAuth provider '" + provider.getKey()
                            + "' declares no such setting; it declares " + new java.util.TreeSet<>(provider.getValue()));
                }
                return;
            }
        }
        unloaded.add(name);
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
