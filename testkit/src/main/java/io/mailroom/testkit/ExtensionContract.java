package io.mailroom.testkit;

import io.mailroom.api.Extension;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.api.source.MailSource;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every extension must satisfy for the host to load and configure it. A plugin's test
 * implements this interface and gets the tests:
 *
 * <pre>{@code
 * class MySourceTest implements ExtensionContract<MailSource> {
 *     public MailSource extension() { return new MySource(); }
 *     public Class<MailSource> point() { return MailSource.class; }
 * }
 * }</pre>
 */
public interface ExtensionContract<T extends Extension> {

    /** A fresh instance of the extension under test. */
    T extension();

    /** The extension point it implements. */
    Class<T> point();

    @Test
    default void its_id_is_a_stable_lower_case_name() {
        assertThat(extension().id()).matches("[a-z0-9_-]+");
    }

    @Test
    default void it_is_registered_for_service_loader_discovery() {
        List<String> registered = ServiceLoader.load(point()).stream()
                .map(provider -> provider.type().getName()).toList();

        assertThat(registered).contains(extension().getClass().getName());
    }

    /** The settings the extension declares, whatever their scope (per mailbox or per installation). */
    default List<SettingDescriptor> declaredSettings() {
        return switch (extension()) {
            case MailSource source -> source.mailboxSettings();
            case TicketSink sink -> sink.mailboxSettings();
            case OAuthProvider provider -> provider.installationSettings();
            default -> List.of();
        };
    }

    @Test
    default void its_settings_are_well_formed() {
        Set<String> names = new HashSet<>();
        for (SettingDescriptor setting : declaredSettings()) {
            assertThat(setting.name()).as("setting name").matches("[a-z][a-z0-9_]*");
            assertThat(names.add(setting.name())).as("%s is declared once", setting.name()).isTrue();
            assertThat(setting.help()).as("%s has help text", setting.name()).isNotBlank();
            if (setting.type() == SettingType.CHOICE && setting.defaultValue() != null) {
                assertThat(setting.choices()).as("%s default is a choice", setting.name()).contains(setting.defaultValue());
            }
            if (setting.type() == SettingType.INTEGER && setting.defaultValue() != null) {
                assertThat(setting.defaultValue()).as("%s default is a whole number", setting.name()).matches("-?\\d+");
            }
        }
    }
}
