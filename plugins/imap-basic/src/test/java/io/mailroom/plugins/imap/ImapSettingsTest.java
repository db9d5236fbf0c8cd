package io.mailroom.plugins.imap;

import io.mailroom.api.SettingDescriptor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImapSettingsTest {

    private static SettingDescriptor setting(String name) {
        return new ImapSource().mailboxSettings().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void the_port_is_declared_as_a_tcp_port_so_the_host_refuses_others_at_save_time() {
        assertThat(setting("port").min()).isEqualTo(1);
        assertThat(setting("port").max()).isEqualTo(65535);
        assertThat(setting("port").defaultValue()).isEqualTo("993");
    }
}
