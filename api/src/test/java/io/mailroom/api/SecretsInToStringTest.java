package io.mailroom.api;

import io.mailroom.api.source.Credential;
import io.mailroom.api.source.MailboxAccount;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsInToStringTest {

    @Test
    void settings_show_stars_for_declared_secrets() {
        Settings settings = Settings.of(Map.of("host", "mail.example.com", "pin", "4711"), Set.of("pin"));

        assertThat(settings.toString()).contains("host=mail.example.com").contains("pin=***").doesNotContain("4711");
    }

    @Test
    void settings_show_stars_for_names_that_look_secret_even_when_not_declared() {
        Settings settings = Settings.of(Map.of("password", "hunter2", "client_secret", "s3", "refresh_token", "t0k"));

        assertThat(settings.toString()).doesNotContain("hunter2").doesNotContain("s3").doesNotContain("t0k")
                .contains("password=***");
    }

    @Test
    void credential_hides_its_secret() {
        assertThat(Credential.password("alice", "hunter2").toString()).contains("alice").contains("***")
                .doesNotContain("hunter2");
    }

    @Test
    void mailbox_account_hides_password_setting_and_credential() {
        MailboxAccount account = new MailboxAccount(7, "alice@example.com",
                Settings.of(Map.of("host", "mail.example.com", "password", "hunter2"), Set.of("password")),
                Credential.password("alice", "hunter2"));

        assertThat(account.toString()).contains("mail.example.com").contains("alice@example.com")
                .doesNotContain("hunter2");
    }

    @Test
    void server_text_becomes_one_short_printable_line() {
        String hostile = "+OK hello\r\n-ERR \u0000\u001b[31mred\u00e9" + "x".repeat(500);

        String line = ServerText.excerpt(hostile);

        assertThat(line).hasSizeLessThanOrEqualTo(ServerText.MAX_LENGTH).doesNotContain("\r").doesNotContain("\n")
                .startsWith("+OK hello  -ERR ??[31mred?").endsWith("...");
        assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
