package io.mailroom.host.mailboxes;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom a mailbox logs in, read from its source's settings. A stored secret was given
 * for one server and one login: when either changes, the secret must not follow, or anyone who
 * may edit a mailbox could point an admin's mailbox at their own server and receive its password.
 *
 * <p>A source does not say which settings name the server or the login, so the rule is wide:
 * every setting that is not secret and is text (a host, a user name, a URL, a tenant), every
 * {@code port} or {@code *_port}, and {@code security} (a downgrade to {@code none} sends the
 * password in clear). Choices and flags other than {@code security}, and other numbers, are not
 * part of it: changing how mail is handled keeps the secrets.
 */
final class LoginIdentity {

    private LoginIdentity() {
    }

    static boolean partOfIt(SettingDescriptor setting) {
        if (setting.secret()) {
            return false;
        }
        String name = setting.name();
        return setting.type() == SettingType.STRING || name.equals("port") || name.endsWith("_port")
                || name.equals("security");
    }

    /** The first setting of the login identity whose value differs, or empty when none does. */
    static Optional<String> firstChange(List<SettingDescriptor> settings, Map<String, String> before,
                                        Map<String, String> after) {
        return settings.stream().filter(LoginIdentity::partOfIt).map(SettingDescriptor::name)
                .filter(name -> !Objects.equals(before.get(name), after.get(name))).findFirst();
    }
}
