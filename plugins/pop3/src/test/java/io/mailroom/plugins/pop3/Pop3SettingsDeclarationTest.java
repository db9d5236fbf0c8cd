package io.mailroom.plugins.pop3;

import io.mailroom.api.SettingDescriptor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Pop3SettingsDeclarationTest {

    private static SettingDescriptor setting(String name) {
        return new Pop3Source().mailboxSettings().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void numbers_are_declared_with_the_bounds_the_host_checks_at_save_time() {
        assertThat(setting("port").min()).isEqualTo(1);
        assertThat(setting("port").max()).isEqualTo(65535);
        assertThat(setting("port").defaultValue()).isEqualTo("995");
        assertThat(setting("delete_after_days").min()).isZero();
        assertThat(setting("delete_after_days").max()).isEqualTo(36_500);
    }
}
