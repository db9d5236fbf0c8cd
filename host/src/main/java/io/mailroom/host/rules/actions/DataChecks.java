package io.mailroom.host.rules.actions;

import io.mailroom.api.InvalidSettingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.nio.charset.StandardCharsets;

/** Checks the built-in actions share on their data, each failing with the setting's name and a sentence. */
final class DataChecks {

    private DataChecks() {
    }

    /** One line of at most {@code max} characters, without control characters, not blank. */
    static String line(String setting, String value, int max) {
        if (value.isBlank()) {
            throw new InvalidSettingException(setting, setting + " must not be blank");
        }
        if (value.length() > max) {
            throw new InvalidSettingException(setting, setting + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidSettingException(setting, setting + " must not contain control characters");
            }
        }
        return value;
    }

    /** One mailbox address, parsed strictly ({@code "Ann <ann@example.com>"} or {@code ann@example.com}). */
    static void address(String setting, String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        try {
            line(setting, value, 998);
            InternetAddress[] parsed = InternetAddress.parse(value, true);
            if (parsed.length != 1 || parsed[0].isGroup()) {
                throw new AddressException();
            }
            parsed[0].validate();
            String email = parsed[0].getAddress();
            if (email.indexOf('@') <= 0 || !StandardCharsets.US_ASCII.newEncoder().canEncode(email)) {
                throw new AddressException();
            }
        } catch (AddressException | InvalidSettingException e) {
            throw new InvalidSettingException(setting, "'" + shown.replaceAll("\\p{Cntrl}", " ")
                    + "' is not one address");
        }
    }
}
