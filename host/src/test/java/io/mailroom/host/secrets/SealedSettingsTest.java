package io.mailroom.host.secrets;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.host.store.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SealedSettingsTest {

    private static final List<SettingDescriptor> DESCRIPTORS = List.of(
            SettingDescriptor.required("host", SettingType.STRING, "server"),
            SettingDescriptor.optional("port", SettingType.INTEGER, "993", "port"),
            SettingDescriptor.required("password", SettingType.STRING, "password").asSecret());

    private final SealedSettings sealed = new SealedSettings(
            new SecretSealer(MasterKeys.of(List.of(Base64.getDecoder().decode(MasterKeys.newKey())))));

    @Test
    void stored_rows_hold_no_plaintext_secret_and_open_again() {
        Jdbi jdbi = Jdbi.create(TestDatabase.freshDatabaseUrl());
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE settings_row (id INT PRIMARY KEY, password TEXT, host TEXT)"));
        Map<String, String> stored = sealed.seal(Map.of("host", "imap.example.com", "port", "993",
                "password", "correct horse battery staple"), DESCRIPTORS, "mailbox:7");

        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO settings_row VALUES (1, :password, :host)")
                .bind("password", stored.get("password")).bind("host", stored.get("host")).execute());

        String raw = jdbi.withHandle(handle -> handle.createQuery("SELECT password || ' ' || host FROM settings_row")
                .mapTo(String.class).one());
        assertThat(raw).doesNotContain("correct horse").contains("imap.example.com");
        String column = jdbi.withHandle(handle -> handle.createQuery("SELECT password FROM settings_row")
                .mapTo(String.class).one());
        assertThat(sealed.open(Map.of("password", column, "host", "imap.example.com"), DESCRIPTORS, "mailbox:7"))
                .containsEntry("password", "correct horse battery staple");
    }

    @Test
    void the_api_view_shows_typed_values_and_only_whether_a_secret_is_set() {
        Map<String, Object> shown = SealedSettings.redacted(
                Map.of("host", "imap.example.com", "port", "993", "password", "x"), DESCRIPTORS);

        assertThat(shown).containsEntry("host", "imap.example.com").containsEntry("port", 993L)
                .containsEntry("password_set", true).doesNotContainKey("password");
    }
}
