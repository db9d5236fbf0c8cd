package io.mailroom.api;

import java.util.Objects;

/**
 * A setting's value an extension cannot use, found by its own checks (an address that does not
 * parse): the host answers 400 with the setting's path and this message.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String setting;

    /**
     * @param setting the setting's name
     * @param message one sentence for the admin, never the value of a secret
     */
    public InvalidSettingException(String setting, String message) {
        super(message);
        this.setting = Objects.requireNonNull(setting, "setting");
    }

    public String setting() {
        return setting;
    }
}
