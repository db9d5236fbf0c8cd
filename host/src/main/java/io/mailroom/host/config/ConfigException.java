package io.mailroom.host.config;

/** A configuration value Mailroom cannot start with; the message names the key. */
public class ConfigException extends RuntimeException {

    public ConfigException(String key, String problem) {
        super(key + " (" + ConfigKeys.envName(key) + "): " + problem);
    }
}
